package org.cnn4j.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JNI binding of the native C ABI ({@code native/include/cnn4j/cnn4j.h}); JavaCPP generates the
 * glue from this class at build time. One static method per C function, same name and arguments.
 * Every method returning int returns a status: 0 for success, else {@link #cnn4j_last_error()} says
 * what went wrong. Callers validate arguments first (see {@link NativeBackend}); do not call these
 * directly with unchecked input.
 *
 * <p>Loading this class's library first loads the preset libraries it links against, straight from
 * the oneDNN and OpenBLAS preset jars (without their own JNI bindings).
 */
@Properties(value = @Platform(value = "linux-x86_64", include = "cnn4j/cnn4j.h", library = "jnicnn4j",
        // oneDNN, its libgomp (the process's one OpenMP runtime) and OpenBLAS come from the preset jars
        preload = {"gomp@.1", "quadmath@.0", "gfortran@.5", "openblas@.0", "dnnl@.3"},
        preloadresource = {"/org/bytedeco/dnnl/", "/org/bytedeco/openblas/"}))
final class NativeKernels {
    private NativeKernels() {
    }

    public static native String cnn4j_last_error();

    public static native int cnn4j_supported_isa();

    public static native int cnn4j_active_isa();

    public static native int cnn4j_set_isa(int isa);

    public static native int cnn4j_set_threads(int threads);

    public static native int cnn4j_threads();

    public static native String cnn4j_onednn_version();

    public static native String cnn4j_openblas_config();

    public static native String cnn4j_openmp_runtime();

    public static native int cnn4j_fma_peak(double seconds, double[] gflops);

    public static native int cnn4j_set_gemm(int own);

    public static native int cnn4j_gemm_is_own();

    public static native int cnn4j_sgemm(int transA, int transB, int m, int n, int k, float alpha,
                                         FloatBuffer a, FloatBuffer b, float beta, FloatBuffer c);

    public static native int cnn4j_conv2d_onednn_forward(int[] conv, int srcNhwc, FloatBuffer src, FloatBuffer weights,
                                                         long frozenWeightsId, FloatBuffer bias, int residualNhwc,
                                                         FloatBuffer residual, int dstNhwc, FloatBuffer dst, int fuseRelu);

    public static native int cnn4j_conv2d_onednn_backward_data(int[] conv, int diffDstNhwc, FloatBuffer diffDst,
                                                               FloatBuffer weights, long frozenWeightsId, int diffSrcNhwc,
                                                               FloatBuffer diffSrc);

    public static native int cnn4j_conv2d_onednn_backward_weights(int[] conv, int srcNhwc, FloatBuffer src, int diffDstNhwc,
                                                                  FloatBuffer diffDst, FloatBuffer diffWeights, FloatBuffer diffBias);

    public static native int cnn4j_conv2d_im2col_forward(int[] conv, FloatBuffer src, FloatBuffer weights, FloatBuffer bias,
                                                         FloatBuffer residual, FloatBuffer dst, int fuseRelu);

    public static native int cnn4j_conv2d_im2col_backward_data(int[] conv, FloatBuffer diffDst, FloatBuffer weights,
                                                               FloatBuffer diffSrc);

    public static native int cnn4j_conv2d_im2col_backward_weights(int[] conv, FloatBuffer src, FloatBuffer diffDst,
                                                                  FloatBuffer diffWeights, FloatBuffer diffBias);

    public static native int cnn4j_pool2d_forward(int[] pool, int nhwc, FloatBuffer src, FloatBuffer dst,
                                                  @Cast("uint8_t*") ByteBuffer argmax);

    public static native int cnn4j_pool2d_backward(int[] pool, int nhwc, FloatBuffer src, @Cast("const uint8_t*") ByteBuffer argmax,
                                                   FloatBuffer diffDst, FloatBuffer diffSrc);

    public static native int cnn4j_global_avg_pool_forward(int n, int c, int hw, int nhwc, FloatBuffer src, FloatBuffer dst);

    public static native int cnn4j_global_avg_pool_backward(int n, int c, int hw, int nhwc, FloatBuffer diffDst, FloatBuffer diffSrc);

    public static native int cnn4j_batch_norm_training_forward(int n, int c, int hw, int nhwc, float eps, float momentum,
                                                               FloatBuffer src, FloatBuffer residual, FloatBuffer gamma, FloatBuffer beta,
                                                               FloatBuffer runningMean, FloatBuffer runningVar, FloatBuffer dst,
                                                               FloatBuffer batchMean, FloatBuffer batchVar, int fuseRelu);

    public static native int cnn4j_batch_norm_inference_forward(int n, int c, int hw, int nhwc, float eps, FloatBuffer src,
                                                                FloatBuffer residual, FloatBuffer gamma, FloatBuffer beta, FloatBuffer mean,
                                                                FloatBuffer var, FloatBuffer dst, int fuseRelu);

    public static native int cnn4j_batch_norm_backward(int n, int c, int hw, int nhwc, float eps, int training, FloatBuffer src,
                                                       FloatBuffer residual, FloatBuffer gamma, FloatBuffer beta, FloatBuffer mean,
                                                       FloatBuffer var, FloatBuffer diffDst, FloatBuffer diffSrc,
                                                       FloatBuffer diffResidual, FloatBuffer diffGamma,
                                                       FloatBuffer diffBeta, int fusedRelu);

    public static native int cnn4j_activation_forward(int kind, float alpha, float beta, long count, FloatBuffer src, FloatBuffer dst);

    public static native int cnn4j_activation_backward(int kind, float alpha, float beta, long count, FloatBuffer src, FloatBuffer dst,
                                                       FloatBuffer diffDst, FloatBuffer diffSrc);

    public static native int cnn4j_add(long count, FloatBuffer a, FloatBuffer b, FloatBuffer out);

    public static native int cnn4j_multiply(long count, FloatBuffer a, FloatBuffer b, FloatBuffer out);

    public static native int cnn4j_channel_affine(int n, int c, int hw, int nhwc, FloatBuffer src, FloatBuffer scale,
                                                  FloatBuffer shift, FloatBuffer dst);

    public static native int cnn4j_channel_shuffle(int n, int c, int hw, int nhwc, int groups, FloatBuffer src, FloatBuffer dst);

    public static native int cnn4j_channel_scale(int n, int c, long hw, int nhwc, FloatBuffer x, FloatBuffer s, FloatBuffer out);

    public static native int cnn4j_channel_scale_grad(int n, int c, long hw, int nhwc, FloatBuffer x, FloatBuffer dy, FloatBuffer ds);

    public static native int cnn4j_count_nonfinite(long count, FloatBuffer x, long[] result);

    public static native int cnn4j_dropout_forward(int n, int c, int hw, int nhwc, float p, long seed, FloatBuffer src,
                                                   FloatBuffer mask, FloatBuffer dst);

    public static native int cnn4j_copy_channels(int n, int hw, int nhwc, int c, int wideC, int c0, int intoWide,
                                                 FloatBuffer src, FloatBuffer dst);

    public static native int cnn4j_linear_forward(int n, int in, int out, FloatBuffer src, FloatBuffer weights, FloatBuffer bias,
                                                  FloatBuffer dst);

    public static native int cnn4j_linear_backward(int n, int in, int out, FloatBuffer src, FloatBuffer weights,
                                                   FloatBuffer diffDst, FloatBuffer diffSrc, FloatBuffer diffWeights,
                                                   FloatBuffer diffBias);

    public static native int cnn4j_softmax(int n, int k, FloatBuffer logits, FloatBuffer probs);

    public static native int cnn4j_softmax_cross_entropy(int n, int k, FloatBuffer logits, FloatBuffer targets, FloatBuffer probs,
                                                         FloatBuffer diffLogits, double[] loss);

    public static native int cnn4j_sgd_step(long count, float lr, float momentum, float dampening, float weightDecay, int nesterov,
                                            int step, FloatBuffer param, FloatBuffer grad, FloatBuffer momentumBuffer);

    public static native int cnn4j_adam_step(long count, float lr, float beta1, float beta2, float eps, float weightDecay,
                                             int decoupled, int step, FloatBuffer param, FloatBuffer grad, FloatBuffer expAvg,
                                             FloatBuffer expAvgSq);

    public static native int cnn4j_conv2d_winograd_forward(int tile, int[] conv, FloatBuffer src, FloatBuffer weights,
                                                           long frozenWeightsId, FloatBuffer bias, FloatBuffer residual,
                                                           FloatBuffer dst, int fuseRelu);

    public static native int cnn4j_conv2d_winograd_backward_data(int tile, int[] conv, FloatBuffer diffDst,
                                                                 FloatBuffer weights, long frozenWeightsId, FloatBuffer diffSrc);

    public static native int cnn4j_conv2d_winograd_forward_max_pool(int tile, int[] conv, FloatBuffer src, FloatBuffer weights,
                                                                    long frozenWeightsId, FloatBuffer bias, FloatBuffer dst,
                                                                    int fuseRelu);

    public static native int cnn4j_conv2d_winograd_backward_weights(int tile, int[] conv, FloatBuffer src, FloatBuffer diffDst,
                                                                    FloatBuffer diffWeights, FloatBuffer diffBias);

    public static native int cnn4j_conv1d_winograd_forward(int tile, int[] conv, FloatBuffer src, FloatBuffer weights,
                                                           long frozenWeightsId, FloatBuffer bias, FloatBuffer residual,
                                                           FloatBuffer dst, int fuseRelu);

    public static native int cnn4j_conv1d_winograd_backward_data(int tile, int[] conv, FloatBuffer diffDst,
                                                                 FloatBuffer weights, long frozenWeightsId, FloatBuffer diffSrc);

    public static native int cnn4j_conv1d_winograd_backward_weights(int tile, int[] conv, FloatBuffer src, FloatBuffer diffDst,
                                                                    FloatBuffer diffWeights, FloatBuffer diffBias);

    public static native long cnn4j_winograd_filter_transforms();

    public static native long cnn4j_onednn_activation_copies();

    public static native int cnn4j_quantize(long count, FloatBuffer src, float scale, int dstType, @Cast("void*") ByteBuffer dst);

    public static native int cnn4j_dequantize(long count, int srcType, @Cast("const void*") ByteBuffer src, float scale, FloatBuffer dst);

    public static native int cnn4j_conv2d_int8_forward(int[] conv, int srcType, @Cast("const void*") ByteBuffer src, float srcScale,
                                                       @Cast("const int8_t*") ByteBuffer weights, FloatBuffer weightScales,
                                                       long weightsId, FloatBuffer bias, int residualType,
                                                       @Cast("const void*") ByteBuffer residual, float residualScale, int dstType,
                                                       @Cast("void*") ByteBuffer dst, float dstScale, int fuseRelu);

    /** The same entry point with an f32 dst (dst_type CNN4J_QTYPE_F32). */
    public static native int cnn4j_conv2d_int8_forward(int[] conv, int srcType, @Cast("const void*") ByteBuffer src, float srcScale,
                                                       @Cast("const int8_t*") ByteBuffer weights, FloatBuffer weightScales,
                                                       long weightsId, FloatBuffer bias, int residualType,
                                                       @Cast("const void*") FloatBuffer residual, float residualScale, int dstType,
                                                       @Cast("void*") FloatBuffer dst, float dstScale, int fuseRelu);

    public static native int cnn4j_linear_int8_forward(int n, int c, int h, int w, int srcType, @Cast("const void*") ByteBuffer src,
                                                       float srcScale, int out, @Cast("const int8_t*") ByteBuffer weights,
                                                       FloatBuffer weightScales, long weightsId, FloatBuffer bias, int dstType,
                                                       @Cast("void*") ByteBuffer dst, float dstScale, int fuseRelu);

    /** The same entry point with an f32 dst (dst_type CNN4J_QTYPE_F32). */
    public static native int cnn4j_linear_int8_forward(int n, int c, int h, int w, int srcType, @Cast("const void*") ByteBuffer src,
                                                       float srcScale, int out, @Cast("const int8_t*") ByteBuffer weights,
                                                       FloatBuffer weightScales, long weightsId, FloatBuffer bias, int dstType,
                                                       @Cast("void*") FloatBuffer dst, float dstScale, int fuseRelu);

    public static native int cnn4j_max_pool2d_int8_forward(int[] pool, int type, @Cast("const void*") ByteBuffer src,
                                                           @Cast("void*") ByteBuffer dst);

    public static native int cnn4j_conv2d_bf16_forward(int[] conv, FloatBuffer src, FloatBuffer weights, long weightsId,
                                                       FloatBuffer bias, FloatBuffer residual, FloatBuffer dst, int fuseRelu);

    public static native int cnn4j_linear_bf16_forward(int n, int in, int out, FloatBuffer src, FloatBuffer weights, long weightsId,
                                                       FloatBuffer bias, FloatBuffer dst, int fuseRelu);
}
