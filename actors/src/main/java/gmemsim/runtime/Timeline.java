package gmemsim.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hunt over time, in at most {@link #BUCKETS} buckets of equal run counts (a bucket's width
 * doubles when they fill up, so any hunt fits): the mean number of race windows a run opened, and
 * per oracle the runs it fired in, cumulated.
 */
public final class Timeline {
  public static final int BUCKETS = 128;

  private long width = 1;
  private final List<long[]> buckets = new ArrayList<>();
  private final Map<String, List<Long>> hits = new LinkedHashMap<>();
  private long runs;

  void add(int windows) {
    if (runs % width == 0) {
      if (buckets.size() == BUCKETS) halve();
      buckets.add(new long[2]);
      for (List<Long> h : hits.values()) h.add(0L);
    }
    long[] b = buckets.get(buckets.size() - 1);
    b[0] += windows;
    b[1]++;
    runs++;
  }

  void fired(Collection<String> oracles) {
    for (String o : oracles) {
      List<Long> h = hits.computeIfAbsent(o, x -> {
        List<Long> l = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) l.add(0L);
        return l;
      });
      h.set(h.size() - 1, h.get(h.size() - 1) + 1);
    }
  }

  private void halve() {
    List<long[]> merged = new ArrayList<>();
    for (int i = 0; i + 1 < buckets.size(); i += 2) {
      merged.add(new long[] {buckets.get(i)[0] + buckets.get(i + 1)[0], buckets.get(i)[1] + buckets.get(i + 1)[1]});
    }
    buckets.clear();
    buckets.addAll(merged);
    for (List<Long> h : hits.values()) {
      List<Long> m = new ArrayList<>();
      for (int i = 0; i + 1 < h.size(); i += 2) m.add(h.get(i) + h.get(i + 1));
      h.clear();
      h.addAll(m);
    }
    width *= 2;
  }

  /** Runs per bucket. */
  public long width() {
    return width;
  }

  /** Mean windows opened per run, bucket by bucket. */
  public List<Double> windowsPerRun() {
    return buckets.stream().map(b -> b[1] == 0 ? 0.0 : b[0] / (double) b[1]).toList();
  }

  /** Per oracle: the runs it fired in, cumulated bucket by bucket. */
  public Map<String, List<Long>> cumulativeHits() {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    hits.forEach((o, h) -> {
      List<Long> c = new ArrayList<>();
      long sum = 0;
      for (long x : h) c.add(sum += x);
      out.put(o, c);
    });
    return out;
  }
}
