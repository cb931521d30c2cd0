package gmemsim.runtime;

import java.util.function.BiConsumer;

/**
 * Packed event -> the number of runs it was seen in, by open addressing on primitive longs: a
 * run's repeated events count once through a per-key stamp of the last run that counted it, so
 * no run sorts or boxes its events (the coverage cost per delivery stays one probe).
 */
final class RunCounts {
  private static final long EMPTY = Long.MIN_VALUE;
  private static final long MIX = 0x9E3779B97F4A7C15L;

  private long[] keys = newKeys(256);
  private long[] counts = new long[256];
  private long[] stamps = new long[256];
  private int size;

  private static long[] newKeys(int n) {
    long[] k = new long[n];
    java.util.Arrays.fill(k, EMPTY);
    return k;
  }

  /** Counts {@code key} for run {@code run}; true when this is its first time in that run. */
  boolean see(long key, long run) {
    int mask = keys.length - 1;
    int i = (int) ((key * MIX) >>> 40) & mask;
    for (long k; (k = keys[i]) != EMPTY; i = (i + 1) & mask) {
      if (k == key) {
        if (stamps[i] == run) return false;
        stamps[i] = run;
        counts[i]++;
        return true;
      }
    }
    keys[i] = key;
    counts[i] = 1;
    stamps[i] = run;
    if (++size * 2 > keys.length) grow();
    return true;
  }

  /** Adds {@code n} runs to {@code key} (another node's counts; no stamp, those runs were not made here). */
  void add(long key, long n) {
    int mask = keys.length - 1;
    int i = (int) ((key * MIX) >>> 40) & mask;
    for (long k; (k = keys[i]) != EMPTY; i = (i + 1) & mask) {
      if (k == key) {
        counts[i] += n;
        return;
      }
    }
    keys[i] = key;
    counts[i] = n;
    stamps[i] = -1;
    if (++size * 2 > keys.length) grow();
  }

  private void grow() {
    long[] k = keys, c = counts, s = stamps;
    keys = newKeys(k.length * 2);
    counts = new long[k.length * 2];
    stamps = new long[k.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < k.length; j++) {
      if (k[j] == EMPTY) continue;
      int i = (int) ((k[j] * MIX) >>> 40) & mask;
      while (keys[i] != EMPTY) i = (i + 1) & mask;
      keys[i] = k[j];
      counts[i] = c[j];
      stamps[i] = s[j];
    }
  }

  void forEach(BiConsumer<Long, Long> f) {
    for (int j = 0; j < keys.length; j++) if (keys[j] != EMPTY) f.accept(keys[j], counts[j]);
  }
}
