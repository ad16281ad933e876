package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The register-blocked matrix products against the verbatim pre-rewrite kernels
 * ({@link KernelsReference}: bit for bit, since only the blocking changed) and against a naive
 * double-precision product, over odd sizes that exercise every block and tail path, with
 * offsets, leading dimensions larger than the row, transposed A and accumulation.
 */
class KernelsTest {

  private static final int[] MS = {1, 2, 3, 5, 6, 7, 13, 16};
  private static final int[] NS = {1, 3, 4, 5, 10, 17, 33, 50, 70, 84, 120};
  private static final int[] KS = {0, 1, 7, 16, 25, 37, 600, 1100};

  @Test
  void gemmMatchesReferenceBitwiseAndNaive() {
    Random r = new Random(11);
    for (int m : MS) {
      for (int n : NS) {
        for (int k : KS) {
          if (k > 100 && (m > 7 || n > 33)) {
            continue;
          }
          for (int variant = 0; variant < 4; variant++) {
            boolean transA = (variant & 1) != 0;
            boolean acc = (variant & 2) != 0;
            int aOff = 3;
            int ars = transA ? 1 : k + 2;
            int acs = transA ? m + 1 : 1;
            float[] a = rand(r, aOff + m * (k + 2) + k * (m + 1) + 1);
            int bOff = 5;
            int ldb = n + 3;
            float[] b = rand(r, bOff + k * ldb + 1);
            int cOff = 2;
            int ldc = n + 1;
            float[] c0 = rand(r, cOff + m * ldc + 1);
            float[] c1 = c0.clone();
            float[] c2 = c0.clone();
            Kernels.gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c1, cOff, ldc, acc);
            KernelsReference.gemm(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c2, cOff, ldc, acc);
            String what = "gemm m=" + m + " n=" + n + " k=" + k + " v=" + variant;
            assertArrayEquals(c2, c1, what);
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                double s = acc ? c0[cOff + i * ldc + j] : 0;
                for (int t = 0; t < k; t++) {
                  s += (double) a[aOff + i * ars + t * acs] * b[bOff + t * ldb + j];
                }
                // against float64: each output is one FMA chain in k order at any vector
                // width; its rounding error over k products of N(0,1) values is a random walk
                // of about u*k/sqrt(2) (u = 6e-8): 5e-5 at k = 1100, where the tolerance is
                // 3.4e-2, and no order of summation exceeds k*u*sum|ab| = 4.6e-2 there
                assertEquals(s, c1[cOff + i * ldc + j], 1e-3 * (1 + Math.sqrt(k)), what);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void gemmNtMatchesReferenceBitwiseAndNaive() {
    Random r = new Random(12);
    for (int m : MS) {
      for (int n : NS) {
        for (int k : KS) {
          for (int variant = 0; variant < 2; variant++) {
            boolean acc = variant == 1;
            int aOff = 1;
            int lda = k + 3;
            float[] a = rand(r, aOff + m * lda + 1);
            int bOff = 4;
            int ldb = k + 1;
            float[] b = rand(r, bOff + n * ldb + 1);
            int cOff = 3;
            int ldc = n + 2;
            float[] c0 = rand(r, cOff + m * ldc + 1);
            float[] c1 = c0.clone();
            float[] c2 = c0.clone();
            Kernels.gemmNT(m, n, k, a, aOff, lda, b, bOff, ldb, c1, cOff, ldc, acc);
            KernelsReference.gemmNT(m, n, k, a, aOff, lda, b, bOff, ldb, c2, cOff, ldc, acc);
            String what = "gemmNT m=" + m + " n=" + n + " k=" + k + " acc=" + acc;
            assertArrayEquals(c2, c1, what);
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                double s = acc ? c0[cOff + i * ldc + j] : 0;
                for (int t = 0; t < k; t++) {
                  s += (double) a[aOff + i * lda + t] * b[bOff + j * ldb + t];
                }
                assertEquals(s, c1[cOff + i * ldc + j], 1e-3 * (1 + Math.sqrt(k)), what);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void sumAndDotMatchesSeparateSumAndDotExactly() {
    Random r = new Random(13);
    for (int len : new int[] {0, 1, 7, 15, 16, 17, 31, 33, 100, 1031, 100352}) {
      for (int off : new int[] {0, 3}) {
        float[] a = rand(r, off + len + 2);
        float[] b = rand(r, off + len + 2);
        double[] got = new double[2];
        Kernels.sumAndDot(a, b, off, len, got);
        String what = "len=" + len + " off=" + off;
        assertEquals(Double.doubleToLongBits(Kernels.sum(a, off, len)),
            Double.doubleToLongBits(got[0]), "sum " + what);
        assertEquals(Double.doubleToLongBits(Kernels.dot(a, off, b, off, len)),
            Double.doubleToLongBits(got[1]), "dot " + what);
      }
    }
  }

  static float[] rand(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
