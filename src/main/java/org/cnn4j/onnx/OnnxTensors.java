package org.cnn4j.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.cnn4j.io.Float16;
import org.cnn4j.onnx.proto.Onnx.StringStringEntryProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;

/**
 * ONNX tensors (initializers, Constant values) to and from Java arrays: float, double and float16
 * data as floats, int64/int32/int8/uint8/bool as longs, from the typed fields, {@code raw_data}
 * (little-endian) or external data (a file beside the model, at an offset, as exports over 2 GB keep
 * their weights). Every size is checked against the data before anything is allocated.
 */
final class OnnxTensors {
    /** The most elements one tensor may have here: a Java array's bound. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private OnnxTensors() {
    }

    /** A constant: its dims and either floats (for float types) or longs (for integer and bool types). */
    record Constant(long[] dims, float[] floats, long[] longs) {
        long numel() {
            return floats != null ? floats.length : longs.length;
        }

        boolean isFloat() {
            return floats != null;
        }

        /** The values as floats, whatever the type. */
        float[] asFloats() {
            if (floats != null) {
                return floats;
            }
            float[] f = new float[longs.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = longs[i];
            }
            return f;
        }

        /** The values as longs, whatever the type (floats truncated). */
        long[] asLongs() {
            if (longs != null) {
                return longs;
            }
            long[] l = new long[floats.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (long) floats[i];
            }
            return l;
        }

        static Constant ofLongs(long... values) {
            return new Constant(new long[] {values.length}, null, values);
        }

        @Override
        public String toString() {
            return (floats != null ? "float" : "int") + Arrays.toString(dims);
        }
    }

    /** Decodes {@code t}; {@code baseDir} is where external data files are looked for. */
    static Constant decode(TensorProto t, Path baseDir) {
        String what = "tensor '" + t.getName() + "'";
        long numel = 1;
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0) {
                throw new IllegalArgumentException("ONNX " + what + ": negative dimension in " + Arrays.toString(t.getDimsList().toArray()));
            }
            numel = dims[i] == 0 || numel <= MAX_ELEMENTS / dims[i] ? numel * dims[i] : MAX_ELEMENTS + 1;
        }
        if (numel > MAX_ELEMENTS) {
            throw new IllegalArgumentException("ONNX " + what + ": " + t.getDimsList() + " has more than " + MAX_ELEMENTS + " elements");
        }
        int n = (int) numel;
        TensorProto.DataType type = TensorProto.DataType.forNumber(t.getDataType());
        if (type == null) {
            throw new IllegalArgumentException("ONNX " + what + ": unknown data type " + t.getDataType());
        }
        int size = elementBytes(type, what);
        ByteBuffer raw = null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = external(t, baseDir, (long) n * size, what);
        } else if (t.hasRawData()) {
            raw = t.getRawData().asReadOnlyByteBuffer();
            if (raw.remaining() != (long) n * size) {
                throw new IllegalArgumentException("ONNX " + what + ": raw_data holds " + raw.remaining() + " bytes but "
                        + t.getDimsList() + " of " + type + " needs " + (long) n * size);
            }
        }
        if (raw != null) {
            raw.order(ByteOrder.LITTLE_ENDIAN);
            return fromRaw(type, dims, n, raw);
        }
        return fromFields(t, type, dims, n, what);
    }

    private static int elementBytes(TensorProto.DataType type, String what) {
        return switch (type) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64 -> 8;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> throw new IllegalArgumentException("ONNX " + what + ": data type " + type + " is not supported");
        };
    }

    private static Constant fromRaw(TensorProto.DataType type, long[] dims, int n, ByteBuffer b) {
        switch (type) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = switch (type) {
                        case FLOAT -> b.getFloat();
                        case DOUBLE -> (float) b.getDouble();
                        case FLOAT16 -> Float16.toFloat(b.getShort());
                        default -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    };
                }
                return new Constant(dims, f, null);
            }
            default -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = switch (type) {
                        case INT64, UINT64 -> b.getLong();
                        case INT32 -> b.getInt();
                        case UINT32 -> b.getInt() & 0xffffffffL;
                        case INT16 -> b.getShort();
                        case UINT16 -> b.getShort() & 0xffff;
                        case INT8 -> b.get();
                        default -> b.get() & 0xff;
                    };
                }
                return new Constant(dims, null, l);
            }
        }
    }

    private static Constant fromFields(TensorProto t, TensorProto.DataType type, long[] dims, int n, String what) {
        int have = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT64, UINT32 -> t.getUint64DataCount();
            default -> t.getInt32DataCount(); // int32, int16, int8, uint16, uint8, bool, float16, bfloat16
        };
        if (have != n) {
            throw new IllegalArgumentException("ONNX " + what + ": holds " + have + " values but " + t.getDimsList() + " needs " + n);
        }
        switch (type) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = switch (type) {
                        case FLOAT -> t.getFloatData(i);
                        case DOUBLE -> (float) t.getDoubleData(i);
                        case FLOAT16 -> Float16.toFloat((short) t.getInt32Data(i));
                        default -> Float.intBitsToFloat((t.getInt32Data(i) & 0xffff) << 16);
                    };
                }
                return new Constant(dims, f, null);
            }
            default -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = switch (type) {
                        case INT64 -> t.getInt64Data(i);
                        case UINT64, UINT32 -> t.getUint64Data(i);
                        default -> t.getInt32Data(i);
                    };
                }
                return new Constant(dims, null, l);
            }
        }
    }

    /** The bytes of an external tensor: {@code location} relative to the model's folder, optional offset and length. */
    private static ByteBuffer external(TensorProto t, Path baseDir, long needed, String what) {
        String location = null;
        long offset = 0, length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { } // "checksum" and keys of later versions do not change the data
                }
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("ONNX " + what + ": external data " + e.getKey() + "=" + e.getValue() + " is not a number");
            }
        }
        if (location == null || baseDir == null) {
            throw new IllegalArgumentException("ONNX " + what + ": external data without a location"
                    + (baseDir == null ? " (or a model read from memory, which has no folder)" : ""));
        }
        Path file = baseDir.resolve(location).normalize();
        if (!file.startsWith(baseDir.normalize())) {
            throw new IllegalArgumentException("ONNX " + what + ": external data location '" + location + "' leaves the model's folder");
        }
        if (length >= 0 && length != needed) {
            throw new IllegalArgumentException("ONNX " + what + ": external data length " + length + " but the tensor needs " + needed + " bytes");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset < 0 || offset > size || size - offset < needed) {
                throw new IllegalArgumentException("ONNX " + what + ": external data " + file + " has " + size + " bytes; "
                        + needed + " needed at offset " + offset);
            }
            ByteBuffer b = ByteBuffer.allocate((int) needed);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    throw new IllegalArgumentException("ONNX " + what + ": external data " + file + " ends early");
                }
            }
            return b.flip();
        } catch (IOException e) {
            throw new IllegalArgumentException("ONNX " + what + ": cannot read external data " + file + ": " + e.getMessage(), e);
        }
    }

    /** A float tensor with raw little-endian data, for export. */
    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(b)).build();
    }

    /** An int64 tensor, for export (shapes, axes). */
    static TensorProto longs(String name, long... values) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length).addAllInt64Data(Arrays.stream(values).boxed().toList()).build();
    }
}
