package org.reffakd.engine.java;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order. */
public class Sequential implements Layer {

  private final List<Layer> layers;

  public Sequential(List<Layer> layers) {
    this.layers = List.copyOf(layers);
  }

  public Sequential(Layer... layers) {
    this(List.of(layers));
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    Tensor h = x;
    for (Layer l : layers) {
      h = l.forward(h, training);
    }
    return h;
  }

  @Override
  public long macsPerSample() {
    long m = 0;
    for (Layer l : layers) {
      m += l.macsPerSample();
    }
    return m;
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    Tensor g = gradOut;
    for (int i = layers.size() - 1; i >= 0; i--) {
      g = layers.get(i).backward(g);
      if (g == null) {
        return null;
      }
    }
    return g;
  }

  @Override
  public List<Param> params() {
    List<Param> ps = new ArrayList<>();
    for (Layer l : layers) {
      ps.addAll(l.params());
    }
    return ps;
  }

  @Override
  public List<float[]> buffers() {
    List<float[]> bs = new ArrayList<>();
    for (Layer l : layers) {
      bs.addAll(l.buffers());
    }
    return bs;
  }

  @Override
  public void collect(String prefix, java.util.Map<String, Param> params,
                      java.util.Map<String, float[]> buffers) {
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).collect(prefix + i + ".", params, buffers);
    }
  }

  @Override
  public void setInputGradRequired(boolean required) {
    if (!layers.isEmpty()) {
      layers.get(0).setInputGradRequired(required);
    }
  }
}
