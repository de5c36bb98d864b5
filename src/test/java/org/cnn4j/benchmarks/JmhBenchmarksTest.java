package org.cnn4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.cpu.NativeBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Every JMH benchmark method of {@code benchmarks/} runs once for every combination of its default
 * {@code @Param} values, with its setup and teardown, as JMH would call them: docs/performance.md's JMH commands
 * keep working as the API changes (an earlier change of the batch-norm API broke their compilation
 * unnoticed). Timing is JMH's business, not this test's.
 */
class JmhBenchmarksTest {

    @ParameterizedTest
    @ValueSource(classes = {ConvolutionBenchmark.class, OpsBenchmark.class, DataLoaderBenchmark.class})
    void everyBenchmarkRunsForEveryDefaultParameter(Class<?> type) throws Exception {
        Assumptions.assumeTrue(NativeBackend.isAvailable(), "the benchmarks time the native backend");
        List<Field> params = Arrays.stream(type.getFields()).filter(f -> f.isAnnotationPresent(Param.class)).toList();
        List<Method> benchmarks = Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class)).toList();
        assertThat(benchmarks).isNotEmpty();
        for (List<String> values : combinations(params)) {
            Object state = type.getDeclaredConstructor().newInstance();
            for (int i = 0; i < params.size(); i++) {
                params.get(i).set(state, parse(params.get(i).getType(), values.get(i)));
            }
            call(state, Setup.class);
            try {
                for (Method m : benchmarks) {
                    try {
                        m.invoke(state);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw new AssertionError(type.getSimpleName() + "." + m.getName() + " with " + values, e.getCause());
                    }
                }
            } finally {
                call(state, TearDown.class);
            }
        }
    }

    private static List<List<String>> combinations(List<Field> params) {
        List<List<String>> all = new ArrayList<>(List.of(List.of()));
        for (Field f : params) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : all) {
                for (String v : f.getAnnotation(Param.class).value()) {
                    List<String> c = new ArrayList<>(prefix);
                    c.add(v);
                    next.add(c);
                }
            }
            all = next;
        }
        return all;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Class<?> type, String value) {
        if (type == int.class) {
            return Integer.parseInt(value);
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) type, value);
        }
        return value;
    }

    private static void call(Object state, Class<? extends java.lang.annotation.Annotation> phase) throws Exception {
        for (Method m : state.getClass().getMethods()) {
            if (m.isAnnotationPresent(phase)) {
                m.invoke(state);
            }
        }
    }
}
