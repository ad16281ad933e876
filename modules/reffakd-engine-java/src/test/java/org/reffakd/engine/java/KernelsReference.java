package org.reffakd.engine.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products as they were before the register-blocked rewrite (a verbatim copy), kept
 * as the bitwise reference for {@link KernelsTest}: the rewrite only reorders loads and
 * blocking, never the additions into one output element.
 */
final class KernelsReference {

  static final VectorSpecies<Float> S = VectorWidth.species();
  static final int L = S.length();

  private KernelsReference() {}

  /**
   * C[i][j] (+)= sum_k A(i,k) * B[k][j] for i < m, j < n, k < kk, where A(i,k) is
   * {@code a[aOff + i*ars + k*acs]} (so A may be read transposed), B is row-major with leading
   * dimension ldb and C row-major with leading dimension ldc.
   */
  static void gemm(int m, int n, int kk, float[] a, int aOff, int ars, int acs,
                          float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                          boolean accumulate) {
    if (!accumulate) {
      for (int i = 0; i < m; i++) {
        java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
      }
    }
    if (kk == 0) {
      return;
    }
    int j = 0;
    // column panels outer so that the K x 2L panel of B stays in L1 across all row blocks
    for (; j + 2 * L <= n; j += 2 * L) {
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        int c0 = cOff + i * ldc + j;
        FloatVector c00 = FloatVector.fromArray(S, c, c0);
        FloatVector c01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector c10 = FloatVector.fromArray(S, c, c0 + ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, c0 + ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, c0 + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(S, c, c0 + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, c0 + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(S, c, c0 + 3 * ldc + L);
        int ai = aOff + i * ars;
        int bk = bOff + j;
        for (int k = 0; k < kk; k++, ai += acs, bk += ldb) {
          FloatVector b0 = FloatVector.fromArray(S, b, bk);
          FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
          FloatVector a0 = FloatVector.broadcast(S, a[ai]);
          c00 = a0.fma(b0, c00);
          c01 = a0.fma(b1, c01);
          FloatVector a1 = FloatVector.broadcast(S, a[ai + ars]);
          c10 = a1.fma(b0, c10);
          c11 = a1.fma(b1, c11);
          FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * ars]);
          c20 = a2.fma(b0, c20);
          c21 = a2.fma(b1, c21);
          FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * ars]);
          c30 = a3.fma(b0, c30);
          c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + L);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + L);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + L);
      }
      for (; i < m; i++) {
        int c0 = cOff + i * ldc + j;
        FloatVector c00 = FloatVector.fromArray(S, c, c0);
        FloatVector c01 = FloatVector.fromArray(S, c, c0 + L);
        int ai = aOff + i * ars;
        int bk = bOff + j;
        for (int k = 0; k < kk; k++, ai += acs, bk += ldb) {
          FloatVector a0 = FloatVector.broadcast(S, a[ai]);
          c00 = a0.fma(FloatVector.fromArray(S, b, bk), c00);
          c01 = a0.fma(FloatVector.fromArray(S, b, bk + L), c01);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
      }
    }
    for (; j + L <= n; j += L) {
      for (int i = 0; i < m; i++) {
        int c0 = cOff + i * ldc + j;
        FloatVector c00 = FloatVector.fromArray(S, c, c0);
        int ai = aOff + i * ars;
        int bk = bOff + j;
        for (int k = 0; k < kk; k++, ai += acs, bk += ldb) {
          c00 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bk), c00);
        }
        c00.intoArray(c, c0);
      }
    }
    if (j < n) {
      for (int i = 0; i < m; i++) {
        int ci = cOff + i * ldc;
        for (int k = 0; k < kk; k++) {
          float av = a[aOff + i * ars + k * acs];
          int bk = bOff + k * ldb;
          for (int jj = j; jj < n; jj++) {
            c[ci + jj] += av * b[bk + jj];
          }
        }
      }
    }
  }

  private static final int NT_CHUNK = 512;

  /**
   * C[i][j] (+)= sum_k A[i][k] * B[j][k]: both operands row-major with the reduction along
   * their rows (the shape of a weight gradient, dW = dY . X^T).
   */
  static void gemmNT(int m, int n, int kk, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                            boolean accumulate) {
    if (!accumulate) {
      for (int i = 0; i < m; i++) {
        java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
      }
    }
    for (int k0 = 0; k0 < kk; k0 += NT_CHUNK) {
      int k1 = Math.min(kk, k0 + NT_CHUNK);
      int kv = k0 + ((k1 - k0) / L) * L;
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        int a0 = aOff + i * lda;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int j = 0; j < n; j++) {
          int bj = bOff + j * ldb;
          FloatVector s0 = FloatVector.zero(S);
          FloatVector s1 = FloatVector.zero(S);
          FloatVector s2 = FloatVector.zero(S);
          FloatVector s3 = FloatVector.zero(S);
          for (int k = k0; k < kv; k += L) {
            FloatVector bv = FloatVector.fromArray(S, b, bj + k);
            s0 = FloatVector.fromArray(S, a, a0 + k).fma(bv, s0);
            s1 = FloatVector.fromArray(S, a, a1 + k).fma(bv, s1);
            s2 = FloatVector.fromArray(S, a, a2 + k).fma(bv, s2);
            s3 = FloatVector.fromArray(S, a, a3 + k).fma(bv, s3);
          }
          float r0 = s0.reduceLanes(VectorOperators.ADD);
          float r1 = s1.reduceLanes(VectorOperators.ADD);
          float r2 = s2.reduceLanes(VectorOperators.ADD);
          float r3 = s3.reduceLanes(VectorOperators.ADD);
          for (int k = kv; k < k1; k++) {
            float bv = b[bj + k];
            r0 += a[a0 + k] * bv;
            r1 += a[a1 + k] * bv;
            r2 += a[a2 + k] * bv;
            r3 += a[a3 + k] * bv;
          }
          int cj = cOff + i * ldc + j;
          c[cj] += r0;
          c[cj + ldc] += r1;
          c[cj + 2 * ldc] += r2;
          c[cj + 3 * ldc] += r3;
        }
      }
      for (; i < m; i++) {
        int ai = aOff + i * lda;
        for (int j = 0; j < n; j++) {
          int bj = bOff + j * ldb;
          FloatVector s0 = FloatVector.zero(S);
          for (int k = k0; k < kv; k += L) {
            s0 = FloatVector.fromArray(S, a, ai + k).fma(FloatVector.fromArray(S, b, bj + k), s0);
          }
          float r0 = s0.reduceLanes(VectorOperators.ADD);
          for (int k = kv; k < k1; k++) {
            r0 += a[ai + k] * b[bj + k];
          }
          c[cOff + i * ldc + j] += r0;
        }
      }
    }
  }
}
