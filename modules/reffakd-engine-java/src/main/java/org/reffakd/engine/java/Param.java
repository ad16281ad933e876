package org.reffakd.engine.java;

/** A trainable array with its gradient (accumulated by backward, cleared by the optimizer). */
public final class Param {

  public final String name;
  public final float[] value;
  public final float[] grad;

  public Param(String name, int size) {
    this.name = name;
    this.value = new float[size];
    this.grad = new float[size];
  }

  public int size() {
    return value.length;
  }
}
