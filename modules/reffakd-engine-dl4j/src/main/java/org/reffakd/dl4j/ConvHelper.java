package org.reffakd.dl4j;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link ConvolutionHelper} (runtime only: the configuration stays a plain
 * {@code ConvolutionLayer}, exports are unaffected) that makes training through the backend
 * cheaper on the CPU backend, for NCHW float convolutions without dilation in Truncate mode
 * (anything else returns null: DL4J's built-in code).
 *
 * <ul>
 *   <li>forward: libnd4j's {@code conv2d} op, exactly what DL4J's own (oneDNN) helper runs, so
 *       the values are unchanged. A training forward's pre-activation is kept: DL4J M2.1's
 *       backward recomputes the layer's forward to get it, and that recomputation becomes a
 *       lookup (identity activation only: other activations are applied in place);
 *   <li>backward: libnd4j's {@code conv2d_bp} (no oneDNN in this ND4J build) spends most of
 *       its time copying permuted arrays element by element, the matrix products being a small
 *       part. Here the layout work is plain Java loops on float arrays, copied in and out of
 *       ND4J in bulk, and the products are single ND4J (OpenBLAS) calls: im2col as a
 *       (C*kh*kw, N*oh*ow) matrix; weight gradient = (O, N*oh*ow) output gradient times its
 *       transpose;
 *       bias gradient = the output gradient's row sums; input gradient = W^T (C*kh*kw, O) times
 *       the output gradient, then col2im. The first layer (its input is the network input)
 *       returns no input gradient (DL4J discards it).
 * </ul>
 *
 * <p>A Java forward (im2col plus one product) was as fast, but rounds differently from
 * libnd4j's, which moved single ReLU decisions near zero in the ResNet agreement tests.
 */
final class ConvHelper implements ConvolutionHelper {

  private static final Field HELPER = helperField();
  /** Work (values) above which im2col / col2im run on the common fork-join pool. */
  private static final long PARALLEL = 1L << 20;

  private final boolean firstLayer;
  private INDArray lastInput;
  private INDArray lastWeights;
  private INDArray lastOut;
  private OpContext context;

  private ConvHelper(boolean firstLayer) {
    this.firstLayer = firstLayer;
  }

  /** Installs a helper on a DL4J convolution layer; {@code first}: its input is the network's. */
  static ConvHelper install(ConvolutionLayer layer, boolean first) {
    ConvHelper h = new ConvHelper(first);
    try {
      HELPER.set(layer, h);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return h;
  }

  private static Field helperField() {
    try {
      Field f = ConvolutionLayer.class.getDeclaredField("helper");
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("DL4J's ConvolutionLayer has no helper field", e);
    }
  }

  /** Drops what a training forward kept (the weights or the input changed). */
  void forget() {
    lastInput = null;
    lastWeights = null;
    lastOut = null;
  }

  private static boolean supported(INDArray input, INDArray weights, ConvolutionMode mode,
                                   int[] dilation, CNN2DFormat format) {
    return input.dataType() == DataType.FLOAT && weights.dataType() == DataType.FLOAT
        && format == CNN2DFormat.NCHW && mode != ConvolutionMode.Same
        && dilation[0] == 1 && dilation[1] == 1;
  }

  @Override
  public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel,
                            int[] strides, int[] pad, AlgoMode mode, FwdAlgo fwdAlgo,
                            ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                            LayerWorkspaceMgr workspaceMgr) {
    if (!supported(input, weights, convolutionMode, dilation, format)) {
      return null;
    }
    if (input == lastInput && weights == lastWeights && lastOut != null) {
      return lastOut;
    }
    Geometry g = new Geometry(input, weights, kernel, strides, pad);
    if (context == null) {
      context = Nd4j.getExecutioner().buildContext();
      context.setIArguments(g.kh, g.kw, g.sy, g.sx, g.py, g.px, 1, 1, 0 /* not Same */,
          0 /* NCHW */, 1 /* weights (O, C, kh, kw) */);
    }
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {g.n, g.o, g.oh, g.ow}, 'c');
    context.purge();
    context.setInputArray(0, input);
    context.setInputArray(1, weights);
    if (bias != null) {
      context.setInputArray(2, bias);
    }
    context.setOutputArray(0, out);
    Nd4j.exec(new Conv2D(), context);
    if (workspaceMgr.isScopedOut(ArrayType.ACTIVATIONS)) {
      // a workspace-free (training) array: keep it for the backward pass
      lastInput = input;
      lastWeights = weights;
      lastOut = out;
    }
    return out;
  }

  @Override
  public INDArray activate(INDArray z, IActivation afn, boolean training) {
    if (!(afn instanceof ActivationIdentity)) {
      lastOut = null; // applied in place: z is no longer the pre-activation
    }
    return afn.getActivation(z, training);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights,
      INDArray bias, INDArray delta, int[] kernel, int[] strides, int[] pad,
      INDArray biasGradView, INDArray weightGradView, IActivation afn, AlgoMode mode,
      BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode,
      int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
    forget();
    if (!supported(input, weights, convolutionMode, dilation, format)) {
      return null;
    }
    Geometry g = new Geometry(input, weights, kernel, strides, pad);
    float[] col = g.im2col(read(input));
    // the output gradient as (O, N*P), and its row sums (the bias gradient)
    float[] d = read(delta);
    float[] dt = new float[d.length];
    int p = g.oh * g.ow;
    double[] bsum = new double[g.o];
    for (int n = 0; n < g.n; n++) {
      for (int oc = 0; oc < g.o; oc++) {
        int src = (n * g.o + oc) * p;
        int dst = (oc * g.n + n) * p;
        double s = 0;
        for (int i = 0; i < p; i++) {
          float v = d[src + i];
          dt[dst + i] = v;
          s += v;
        }
        bsum[oc] += s;
      }
    }
    INDArray delta2d = create(dt, g.o, (long) g.n * p);
    INDArray gradW2d = weightGradView.reshape('c', g.o, g.k);
    Nd4j.gemm(delta2d, columns(col, g), gradW2d, false, true, 1.0, 0.0);
    if (!gradW2d.isView()) { // reshape copied: write back
      weightGradView.assign(gradW2d.reshape(weightGradView.shape()));
    }
    Gradient grad = new DefaultGradient();
    if (biasGradView != null) { // DL4J passes a dummy for layers without bias
      float[] bs = new float[g.o];
      for (int i = 0; i < g.o; i++) {
        bs[i] = (float) bsum[i];
      }
      biasGradView.assign(create(bs, biasGradView.shape()));
      grad.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
    }
    grad.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
    if (firstLayer) {
      return new Pair<>(grad, null);
    }
    // input gradient: W^T (K, O) x delta (O, N*P) = columns (K, N*P), then col2im
    INDArray epsCol = Nd4j.gemm(weights.reshape('c', g.o, g.k), delta2d, true, false);
    INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        new long[] {g.n, g.c, g.h, g.w}, 'c');
    write(eps, g.col2im(read(epsCol)));
    return new Pair<>(grad, eps);
  }

  /** Columns (K, N*P) as an ND4J matrix. */
  private static INDArray columns(float[] col, Geometry g) {
    return create(col, g.k, (long) g.n * g.oh * g.ow);
  }

  /**
   * The values of an array in row-major order of its shape, copied in bulk (ND4J's
   * {@code DataBuffer.asFloat()} and {@code setData(float[])} go element by element).
   */
  static float[] read(INDArray a) {
    INDArray c = plain(a) ? a : a.dup('c');
    float[] v = new float[(int) c.length()];
    ((FloatPointer) c.data().addressPointer()).get(v);
    return v;
  }

  /** A new c-order float array of that shape holding {@code v} (copied in bulk). */
  static INDArray create(float[] v, long... shape) {
    INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    write(a, v);
    return a;
  }

  /** Overwrites a plain (new, c-order, unshared) float array with {@code v}. */
  static void write(INDArray a, float[] v) {
    if (!plain(a) || a.length() != v.length) {
      throw new IllegalArgumentException("not a plain array of " + v.length + " floats");
    }
    ((FloatPointer) a.data().addressPointer()).put(v);
  }

  /** c-order float array that is all of its (unshared, offset 0) buffer. */
  private static boolean plain(INDArray a) {
    return a.dataType() == DataType.FLOAT && a.offset() == 0 && a.data().offset() == 0
        && a.data().length() == a.length() && a.ordering() == 'c'
        && Shape.hasDefaultStridesForShape(a);
  }

  @Override
  public boolean checkSupported() {
    return true;
  }

  @Override
  public Map<String, Long> helperMemoryUse() {
    return Collections.emptyMap();
  }

  /** Sizes of one convolution; im2col and col2im in the (C*kh*kw, N*oh*ow) layout. */
  private static final class Geometry {
    final int n;
    final int c;
    final int h;
    final int w;
    final int o;
    final int kh;
    final int kw;
    final int sy;
    final int sx;
    final int py;
    final int px;
    final int oh;
    final int ow;
    final int k;

    Geometry(INDArray input, INDArray weights, int[] kernel, int[] strides, int[] pad) {
      n = (int) input.size(0);
      c = (int) input.size(1);
      h = (int) input.size(2);
      w = (int) input.size(3);
      o = (int) weights.size(0);
      kh = kernel[0];
      kw = kernel[1];
      sy = strides[0];
      sx = strides[1];
      py = pad[0];
      px = pad[1];
      oh = (h + 2 * py - kh) / sy + 1;
      ow = (w + 2 * px - kw) / sx + 1;
      k = c * kh * kw;
      long cols = (long) k * n * oh * ow;
      long in = (long) n * c * h * w;
      if (Math.max(cols, in) > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("convolution too large for this helper: " + cols);
      }
    }

    /** x (N, C, H, W) -> columns (C*kh*kw, N*oh*ow): row (c, ky, kx), column (n, y, x). */
    float[] im2col(float[] x) {
      int m = n * oh * ow;
      float[] col = new float[k * m];
      IntStream rows = IntStream.range(0, k);
      ((long) k * m > PARALLEL ? rows.parallel() : rows).forEach(r -> {
        int ch = r / (kh * kw);
        int ky = r / kw % kh;
        int kx = r % kw;
        int base = r * m;
        for (int b = 0; b < n; b++) {
          int img = (b * c + ch) * h;
          for (int y = 0; y < oh; y++) {
            int iy = y * sy - py + ky;
            if (iy < 0 || iy >= h) {
              continue; // zeros
            }
            int dst = base + (b * oh + y) * ow;
            int src = (img + iy) * w;
            for (int xo = 0; xo < ow; xo++) {
              int ix = xo * sx - px + kx;
              if (ix >= 0 && ix < w) {
                col[dst + xo] = x[src + ix];
              }
            }
          }
        }
      });
      return col;
    }

    /** columns (C*kh*kw, N*oh*ow) -> summed into (N, C, H, W). */
    float[] col2im(float[] col) {
      int m = n * oh * ow;
      float[] x = new float[n * c * h * w];
      IntStream chans = IntStream.range(0, c);
      ((long) k * m > PARALLEL ? chans.parallel() : chans).forEach(ch -> {
        // kernel offsets backwards: each input pixel then sums its terms in increasing output
        // position, libnd4j's col2im order (same rounding)
        for (int ky = kh - 1; ky >= 0; ky--) {
          for (int kx = kw - 1; kx >= 0; kx--) {
            int base = ((ch * kh + ky) * kw + kx) * m;
            for (int b = 0; b < n; b++) {
              int img = (b * c + ch) * h;
              for (int y = 0; y < oh; y++) {
                int iy = y * sy - py + ky;
                if (iy < 0 || iy >= h) {
                  continue;
                }
                int src = base + (b * oh + y) * ow;
                int dst = (img + iy) * w;
                for (int xo = 0; xo < ow; xo++) {
                  int ix = xo * sx - px + kx;
                  if (ix >= 0 && ix < w) {
                    x[dst + ix] += col[src + xo];
                  }
                }
              }
            }
          }
        }
      });
      return x;
    }
  }
}
