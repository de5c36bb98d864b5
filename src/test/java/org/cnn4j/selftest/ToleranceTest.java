package org.cnn4j.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cnn4j.backend.ConvAlgorithm;
import org.junit.jupiter.api.Test;

/** The shared tolerances' arithmetic, and the mismatch line the differential fuzz prints. */
class ToleranceTest {

    @Test
    void aSumOfRTermsMayBeOffBy2Point4e7RRelativeToItsScaleFlooredAtOne() {
        Tolerance t = Tolerance.sum(1000); // 2.4e-4
        assertThat(t.compare(new float[] {10f, 0f}, new float[] {10.0023f, 0f}).ok()).isTrue();
        assertThat(t.compare(new float[] {10f, 0f}, new float[] {10.0025f, 0f}).ok()).isFalse();
        assertThat(t.compare(new float[] {1e-3f}, new float[] {1.2e-3f}).ok()).as("scale floored at 1").isTrue();
        assertThat(Tolerance.sum(1).relative()).as("floored at 1e-5").isEqualTo(1e-5);
    }

    @Test
    void winogradIsRelativeToTheLargestReferenceValueWithTheTablesShortestReductionAtLeast() {
        Tolerance t = Tolerance.convolution(ConvAlgorithm.WINOGRAD_4X4_3X3, 9);
        assertThat(t.relative()).isEqualTo(2 * Tolerance.convolutionBound(ConvAlgorithm.WINOGRAD_4X4_3X3, 144));
        assertThat(Tolerance.convolutionBound(ConvAlgorithm.WINOGRAD_2X2_3X3, 144)).isEqualTo(0.5 * 12 * 0x1p-24);
        assertThat(Tolerance.convolution(ConvAlgorithm.ONEDNN, 50)).isEqualTo(Tolerance.sum(50));
    }

    @Test
    void nanAndAMissingElementAreMismatchesAndExactTellsTheSignOfZero() {
        assertThat(Tolerance.absolute(1).compare(new float[] {Float.NaN}, new float[] {0f}).ok()).isFalse();
        assertThat(Tolerance.sum(4).compare(new float[] {1f}, new float[] {1f, 2f}).toString()).isEqualTo("1 elements, reference 2");
        assertThat(Tolerance.exact().compare(new float[] {-0f}, new float[] {0f}).ok()).isFalse();
        assertThat(Tolerance.equal().compare(new float[] {-0f}, new float[] {0f}).ok()).isTrue();
        assertThat(Tolerance.ulps(1).compare(new float[] {Math.nextUp(3f)}, new float[] {3f}).ok()).isTrue();
    }

    @Test
    void theWorstElementReportedIsTheFirstOutsideTheTolerance() {
        Tolerance.Comparison c = Tolerance.absolute(0.1).compare(new float[] {0f, 0.05f, 0.5f, 2f}, new float[] {0f, 0f, 0f, 0f});
        assertThat(c.ok()).isFalse();
        assertThat(c.index()).isEqualTo(2);
        assertThat(c.maxError()).isEqualTo(2.0);
        assertThat(c.toString()).startsWith("element 2 is 0.500000000, reference 0.00000000 (|err| 0.500, tolerance 0.100)");
    }

    @Test
    void aMismatchLineNamesTheCaseToReRunTheOpTheSettingAndTheGeometry() {
        FuzzCase c = new FuzzCase(new SplittableRandom(1), "--seed 5 --case 3", "threads=2 isa=avx2 gemm=own", null);
        c.geometry("Conv2dSpec[n=1, c=4]");
        c.check("conv2d backward_weights ONEDNN NHWC", new float[] {1f, 3f}, new float[] {1f, 2f}, Tolerance.sum(10));
        c.check("conv2d forward ONEDNN NHWC", new float[] {1f}, new float[] {1f}, Tolerance.sum(10));
        assertThat(c.failures()).containsExactly("FAIL --seed 5 --case 3: conv2d backward_weights ONEDNN NHWC threads=2 isa=avx2 "
                + "gemm=own Conv2dSpec[n=1, c=4]: element 1 is 3.00000000, reference 2.00000000 (|err| 1.00, tolerance 2.00e-05); "
                + "max |err| 1.00 = 0.500 of max |ref| 2.000");
    }
}
