package org.reffakd.nn.prep;

import java.util.SplittableRandom;

/**
 * The reference augmentation, applied to one [0,1] image: random crop with zero padding
 * (CIFAR), horizontal flip with probability 1/2, rotation by a uniform angle in
 * [-degrees, degrees] about the centre with nearest-neighbour sampling and zero fill (as
 * torchvision's RandomRotation defaults).
 *
 * @param flip       horizontal flip on/off
 * @param degrees    maximum rotation in degrees (0 = off)
 * @param cropPad    padding of the random crop (0 = off)
 */
public record Augmentation(boolean flip, double degrees, int cropPad) {

  public static final Augmentation NONE = new Augmentation(false, 0, 0);

  /** The reference setting for a dataset: flip + rotate 15, plus crop 32 pad 4 for CIFAR. */
  public static Augmentation reference(String dataset) {
    return new Augmentation(true, 15, dataset.startsWith("cifar") ? 4 : 0);
  }

  public boolean enabled() {
    return flip || degrees > 0 || cropPad > 0;
  }

  /**
   * Writes the augmented image (c x s x s) from src at srcOff into dst at dstOff. tmp must hold
   * at least c*s*s floats.
   */
  public void apply(float[] src, int srcOff, int c, int s, float[] dst, int dstOff,
                    SplittableRandom rng) {
    int dyc = 0;
    int dxc = 0;
    if (cropPad > 0) {
      dyc = rng.nextInt(2 * cropPad + 1) - cropPad;
      dxc = rng.nextInt(2 * cropPad + 1) - cropPad;
    }
    boolean flipNow = flip && rng.nextBoolean();
    double angle = degrees > 0 ? Math.toRadians((rng.nextDouble() * 2 - 1) * degrees) : 0;
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double ctr = (s - 1) * 0.5;
    int plane = s * s;
    for (int y = 0; y < s; y++) {
      double ry = y - ctr;
      for (int x = 0; x < s; x++) {
        double rx = x - ctr;
        // inverse mapping: output (x, y) samples the source rotated back by -angle
        int sx = (int) Math.round(cos * rx - sin * ry + ctr);
        int sy = (int) Math.round(sin * rx + cos * ry + ctr);
        if (flipNow) {
          sx = s - 1 - sx;
        }
        sx += dxc;
        sy += dyc;
        boolean inside = sx >= 0 && sx < s && sy >= 0 && sy < s;
        for (int ch = 0; ch < c; ch++) {
          dst[dstOff + ch * plane + y * s + x] = inside ? src[srcOff + ch * plane + sy * s + sx] : 0f;
        }
      }
    }
  }
}
