package org.reffakd.engine.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The few dense kernels the engine spends its time in: matrix products with register blocking
 * written with the Vector API (FMA on AVX2/AVX-512), and vectorized reductions. All arrays are
 * row-major float[] with explicit offsets and leading dimensions. Single-threaded and stateless:
 * callers parallelize by splitting the output.
 */
public final class Kernels {

  static final VectorSpecies<Float> S = VectorWidth.species();
  static final int L = S.length();

  private Kernels() {}

  /**
   * C[i][j] (+)= sum_k A(i,k) * B[k][j] for i < m, j < n, k < kk, where A(i,k) is
   * {@code a[aOff + i*ars + k*acs]} (so A may be read transposed), B is row-major with leading
   * dimension ldb and C row-major with leading dimension ldc.
   *
   * <p>Each output element is one chain of fused multiply-adds in k order, started from C (or
   * from zero when not accumulating); the blocking (6, 4, 2 or 1 rows by 2 vectors) only decides
   * how many outputs share a load of B.
   */
  public static void gemm(int m, int n, int kk, float[] a, int aOff, int ars, int acs,
                          float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                          boolean accumulate) {
    if (kk == 0) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
      }
      return;
    }
    int j = 0;
    // With more than one row block, each K x 2L panel of B is copied to a contiguous buffer
    // first: rows of B a large power-of-two-ish stride apart map to few L1 sets, so the panel
    // would be evicted between row blocks.
    float[] pk = m > 6 ? packBuffer(kk * 2 * L) : null;
    // column panels outer so that the K x 2L panel of B stays in L1 across all row blocks
    for (; j + 2 * L <= n; j += 2 * L) {
      float[] pb = b;
      int pOff = bOff + j;
      int pld = ldb;
      if (pk != null) {
        for (int k = 0, s = bOff + j; k < kk; k++, s += ldb) {
          System.arraycopy(b, s, pk, k * 2 * L, 2 * L);
        }
        pb = pk;
        pOff = 0;
        pld = 2 * L;
      }
      int i = 0;
      for (; i + 6 <= m; i += 6) {
        panel6x2(kk, a, aOff + i * ars, ars, acs, pb, pOff, pld, c, cOff + i * ldc + j, ldc,
            accumulate);
      }
      if (i + 4 <= m) {
        panel4x2(kk, a, aOff + i * ars, ars, acs, pb, pOff, pld, c, cOff + i * ldc + j, ldc,
            accumulate);
        i += 4;
      }
      for (; i + 2 <= m; i += 2) {
        panel2x2(kk, a, aOff + i * ars, ars, acs, pb, pOff, pld, c, cOff + i * ldc + j, ldc,
            accumulate);
      }
      for (; i < m; i++) {
        int c0 = cOff + i * ldc + j;
        FloatVector c00 = accumulate ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        FloatVector c01 = accumulate ? FloatVector.fromArray(S, c, c0 + L) : FloatVector.zero(S);
        int ai = aOff + i * ars;
        int bk = pOff;
        for (int k = 0; k < kk; k++, ai += acs, bk += pld) {
          FloatVector a0 = FloatVector.broadcast(S, a[ai]);
          c00 = a0.fma(FloatVector.fromArray(S, pb, bk), c00);
          c01 = a0.fma(FloatVector.fromArray(S, pb, bk + L), c01);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + L);
      }
    }
    for (; j + L <= n; j += L) {
      for (int i = 0; i < m; i++) {
        int c0 = cOff + i * ldc + j;
        FloatVector c00 = accumulate ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
        int ai = aOff + i * ars;
        int bk = bOff + j;
        for (int k = 0; k < kk; k++, ai += acs, bk += ldb) {
          c00 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bk), c00);
        }
        c00.intoArray(c, c0);
      }
    }
    if (j < n) {
      columnTail(m, n - j, kk, a, aOff, ars, acs, b, bOff + j, ldb, c, cOff + j, ldc,
          accumulate);
    }
  }

  /**
   * The last rem (&lt; L) columns: C = C + A(i,k) * B[k][j] in k order, a separate multiply and
   * add per step (not a fused one: these columns have always been computed that way, so results
   * stay bit for bit). The rem columns of B are copied once into a zero-padded K x L buffer,
   * so each row runs in one vector register with whole-vector loads and no masks; the row of C
   * goes through the buffer's last L slots.
   */
  private static void columnTail(int m, int rem, int kk, float[] a, int aOff, int ars, int acs,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                 boolean accumulate) {
    float[] pt = packBuffer(kk * L + L);
    for (int k = 0; k < kk; k++) {
      System.arraycopy(b, bOff + k * ldb, pt, k * L, rem);
      java.util.Arrays.fill(pt, k * L + rem, k * L + L, 0f);
    }
    int ct = kk * L;
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      if (accumulate) {
        System.arraycopy(c, ci, pt, ct, rem);
      } else {
        java.util.Arrays.fill(pt, ct, ct + rem, 0f);
      }
      java.util.Arrays.fill(pt, ct + rem, ct + L, 0f);
      FloatVector acc = FloatVector.fromArray(S, pt, ct);
      int ai = aOff + i * ars;
      for (int k = 0, bk = 0; k < kk; k++, ai += acs, bk += L) {
        acc = FloatVector.broadcast(S, a[ai]).mul(FloatVector.fromArray(S, pt, bk)).add(acc);
      }
      acc.intoArray(pt, ct);
      System.arraycopy(pt, ct, c, ci, rem);
    }
  }

  private static void panel6x2(int kk, float[] a, int ai, int ars, int acs, float[] b, int bk,
                               int ldb, float[] c, int c0, int ldc, boolean acc) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = acc ? FloatVector.fromArray(S, c, c0) : z;
    FloatVector c01 = acc ? FloatVector.fromArray(S, c, c0 + L) : z;
    FloatVector c10 = acc ? FloatVector.fromArray(S, c, c0 + ldc) : z;
    FloatVector c11 = acc ? FloatVector.fromArray(S, c, c0 + ldc + L) : z;
    FloatVector c20 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc) : z;
    FloatVector c21 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc + L) : z;
    FloatVector c30 = acc ? FloatVector.fromArray(S, c, c0 + 3 * ldc) : z;
    FloatVector c31 = acc ? FloatVector.fromArray(S, c, c0 + 3 * ldc + L) : z;
    FloatVector c40 = acc ? FloatVector.fromArray(S, c, c0 + 4 * ldc) : z;
    FloatVector c41 = acc ? FloatVector.fromArray(S, c, c0 + 4 * ldc + L) : z;
    FloatVector c50 = acc ? FloatVector.fromArray(S, c, c0 + 5 * ldc) : z;
    FloatVector c51 = acc ? FloatVector.fromArray(S, c, c0 + 5 * ldc + L) : z;
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
      FloatVector a4 = FloatVector.broadcast(S, a[ai + 4 * ars]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, a[ai + 5 * ars]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + ldc);
    c11.intoArray(c, c0 + ldc + L);
    c20.intoArray(c, c0 + 2 * ldc);
    c21.intoArray(c, c0 + 2 * ldc + L);
    c30.intoArray(c, c0 + 3 * ldc);
    c31.intoArray(c, c0 + 3 * ldc + L);
    c40.intoArray(c, c0 + 4 * ldc);
    c41.intoArray(c, c0 + 4 * ldc + L);
    c50.intoArray(c, c0 + 5 * ldc);
    c51.intoArray(c, c0 + 5 * ldc + L);
  }

  private static final ThreadLocal<float[][]> PACK = ThreadLocal.withInitial(() -> new float[1][0]);

  private static float[] packBuffer(int size) {
    float[][] h = PACK.get();
    if (h[0].length < size) {
      h[0] = new float[size];
    }
    return h[0];
  }

  private static void panel4x2(int kk, float[] a, int ai, int ars, int acs, float[] b, int bk,
                               int ldb, float[] c, int c0, int ldc, boolean acc) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = acc ? FloatVector.fromArray(S, c, c0) : z;
    FloatVector c01 = acc ? FloatVector.fromArray(S, c, c0 + L) : z;
    FloatVector c10 = acc ? FloatVector.fromArray(S, c, c0 + ldc) : z;
    FloatVector c11 = acc ? FloatVector.fromArray(S, c, c0 + ldc + L) : z;
    FloatVector c20 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc) : z;
    FloatVector c21 = acc ? FloatVector.fromArray(S, c, c0 + 2 * ldc + L) : z;
    FloatVector c30 = acc ? FloatVector.fromArray(S, c, c0 + 3 * ldc) : z;
    FloatVector c31 = acc ? FloatVector.fromArray(S, c, c0 + 3 * ldc + L) : z;
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

  private static void panel2x2(int kk, float[] a, int ai, int ars, int acs, float[] b, int bk,
                               int ldb, float[] c, int c0, int ldc, boolean acc) {
    FloatVector z = FloatVector.zero(S);
    FloatVector c00 = acc ? FloatVector.fromArray(S, c, c0) : z;
    FloatVector c01 = acc ? FloatVector.fromArray(S, c, c0 + L) : z;
    FloatVector c10 = acc ? FloatVector.fromArray(S, c, c0 + ldc) : z;
    FloatVector c11 = acc ? FloatVector.fromArray(S, c, c0 + ldc + L) : z;
    for (int k = 0; k < kk; k++, ai += acs, bk += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bk);
      FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + ars]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + ldc);
    c11.intoArray(c, c0 + ldc + L);
  }

  private static final int NT_CHUNK = 512;

  /**
   * C[i][j] (+)= sum_k A[i][k] * B[j][k]: both operands row-major with the reduction along
   * their rows (the shape of a weight gradient, dW = dY . X^T).
   *
   * <p>Per output element and chunk of {@value #NT_CHUNK} k: lane-wise fused multiply-adds from
   * zero, a lane reduction, the scalar tail, then one addition into C. The 4 x 4 blocking only
   * shares loads between outputs (4 loads of A and 4 of B feed 16 FMAs).
   */
  public static void gemmNT(int m, int n, int kk, float[] a, int aOff, int lda,
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
        int j = 0;
        for (; j + 4 <= n; j += 4) {
          nt4x4(k0, kv, k1, a, a0, lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc);
        }
        for (; j < n; j++) {
          nt4x1(k0, kv, k1, a, a0, lda, b, bOff + j * ldb, c, cOff + i * ldc + j, ldc);
        }
      }
      for (; i < m; i++) {
        int ai = aOff + i * lda;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
          nt1x4(k0, kv, k1, a, ai, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j);
        }
        for (; j < n; j++) {
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

  private static void nt4x4(int k0, int kv, int k1, float[] a, int a0, int lda, float[] b,
                            int b0, int ldb, float[] c, int cj, int ldc) {
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s22 = s00;
    FloatVector s23 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    FloatVector s32 = s00;
    FloatVector s33 = s00;
    for (int k = k0; k < kv; k += L) {
      FloatVector x0 = FloatVector.fromArray(S, a, a0 + k);
      FloatVector x1 = FloatVector.fromArray(S, a, a1 + k);
      FloatVector x2 = FloatVector.fromArray(S, a, a2 + k);
      FloatVector x3 = FloatVector.fromArray(S, a, a3 + k);
      FloatVector y = FloatVector.fromArray(S, b, b0 + k);
      s00 = x0.fma(y, s00);
      s10 = x1.fma(y, s10);
      s20 = x2.fma(y, s20);
      s30 = x3.fma(y, s30);
      y = FloatVector.fromArray(S, b, b1 + k);
      s01 = x0.fma(y, s01);
      s11 = x1.fma(y, s11);
      s21 = x2.fma(y, s21);
      s31 = x3.fma(y, s31);
      y = FloatVector.fromArray(S, b, b2 + k);
      s02 = x0.fma(y, s02);
      s12 = x1.fma(y, s12);
      s22 = x2.fma(y, s22);
      s32 = x3.fma(y, s32);
      y = FloatVector.fromArray(S, b, b3 + k);
      s03 = x0.fma(y, s03);
      s13 = x1.fma(y, s13);
      s23 = x2.fma(y, s23);
      s33 = x3.fma(y, s33);
    }
    finish4(s00, s01, s02, s03, k0, kv, k1, a, a0, b, b0, ldb, c, cj);
    finish4(s10, s11, s12, s13, k0, kv, k1, a, a1, b, b0, ldb, c, cj + ldc);
    finish4(s20, s21, s22, s23, k0, kv, k1, a, a2, b, b0, ldb, c, cj + 2 * ldc);
    finish4(s30, s31, s32, s33, k0, kv, k1, a, a3, b, b0, ldb, c, cj + 3 * ldc);
  }

  /** Reduces one row's four lane sums, adds the scalar tails and adds them into C. */
  private static void finish4(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3,
                              int k0, int kv, int k1, float[] a, int ai, float[] b, int b0,
                              int ldb, float[] c, int cj) {
    float r0 = s0.reduceLanes(VectorOperators.ADD);
    float r1 = s1.reduceLanes(VectorOperators.ADD);
    float r2 = s2.reduceLanes(VectorOperators.ADD);
    float r3 = s3.reduceLanes(VectorOperators.ADD);
    for (int k = kv; k < k1; k++) {
      float av = a[ai + k];
      r0 += av * b[b0 + k];
      r1 += av * b[b0 + ldb + k];
      r2 += av * b[b0 + 2 * ldb + k];
      r3 += av * b[b0 + 3 * ldb + k];
    }
    c[cj] += r0;
    c[cj + 1] += r1;
    c[cj + 2] += r2;
    c[cj + 3] += r3;
  }

  private static void nt4x1(int k0, int kv, int k1, float[] a, int a0, int lda, float[] b,
                            int bj, float[] c, int cj, int ldc) {
    int a1 = a0 + lda;
    int a2 = a1 + lda;
    int a3 = a2 + lda;
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
    c[cj] += r0;
    c[cj + ldc] += r1;
    c[cj + 2 * ldc] += r2;
    c[cj + 3 * ldc] += r3;
  }

  private static void nt1x4(int k0, int kv, int k1, float[] a, int ai, float[] b, int b0,
                            int ldb, float[] c, int cj) {
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    FloatVector s2 = FloatVector.zero(S);
    FloatVector s3 = FloatVector.zero(S);
    for (int k = k0; k < kv; k += L) {
      FloatVector av = FloatVector.fromArray(S, a, ai + k);
      s0 = av.fma(FloatVector.fromArray(S, b, b0 + k), s0);
      s1 = av.fma(FloatVector.fromArray(S, b, b1 + k), s1);
      s2 = av.fma(FloatVector.fromArray(S, b, b2 + k), s2);
      s3 = av.fma(FloatVector.fromArray(S, b, b3 + k), s3);
    }
    finish4(s0, s1, s2, s3, k0, kv, k1, a, ai, b, b0, ldb, c, cj);
  }

  /** Sum of a[off .. off+len). Accumulated in vector lanes, then in double. */
  public static double sum(float[] a, int off, int len) {
    FloatVector s = FloatVector.zero(S);
    int i = 0;
    int end = len - len % L;
    for (; i < end; i += L) {
      s = s.add(FloatVector.fromArray(S, a, off + i));
    }
    double r = s.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      r += a[off + i];
    }
    return r;
  }

  /** Sum of (a[i] - mean)^2 over a[off .. off+len). */
  public static double sumSqDev(float[] a, int off, int len, float mean) {
    FloatVector s = FloatVector.zero(S);
    FloatVector mv = FloatVector.broadcast(S, mean);
    int i = 0;
    int end = len - len % L;
    for (; i < end; i += L) {
      FloatVector d = FloatVector.fromArray(S, a, off + i).sub(mv);
      s = d.fma(d, s);
    }
    double r = s.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      double d = a[off + i] - mean;
      r += d * d;
    }
    return r;
  }

  /**
   * {@link #sum}(a, off, len) into r[0] and {@link #dot}(a, off, b, off, len) into r[1] in one
   * pass over a, with the same lane accumulations, reductions and tails as the two separate
   * calls (so the same values).
   */
  public static void sumAndDot(float[] a, float[] b, int off, int len, double[] r) {
    FloatVector s = FloatVector.zero(S);
    FloatVector d = FloatVector.zero(S);
    int i = 0;
    int end = len - len % L;
    for (; i < end; i += L) {
      FloatVector av = FloatVector.fromArray(S, a, off + i);
      s = s.add(av);
      d = av.fma(FloatVector.fromArray(S, b, off + i), d);
    }
    double rs = s.reduceLanes(VectorOperators.ADD);
    double rd = d.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      rs += a[off + i];
      rd += (double) a[off + i] * b[off + i];
    }
    r[0] = rs;
    r[1] = rd;
  }

  /** Dot product of a[aOff ..] and b[bOff ..] over len values. */
  public static double dot(float[] a, int aOff, float[] b, int bOff, int len) {
    FloatVector s = FloatVector.zero(S);
    int i = 0;
    int end = len - len % L;
    for (; i < end; i += L) {
      s = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s);
    }
    double r = s.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      r += (double) a[aOff + i] * b[bOff + i];
    }
    return r;
  }
}
