package gmemsim.runtime;

/** Seed derivation: every run seed and component generator is a pure function of --seed. */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public static long runSeed(long seed, long run) {
    return mix(seed * 0x9e3779b97f4a7c15L + run + 1);
  }

  public static long componentSeed(long runSeed, int component) {
    return mix(runSeed + 0x632be59bd9b4e019L * (component + 1));
  }
}
