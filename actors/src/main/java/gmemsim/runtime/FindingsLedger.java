package gmemsim.runtime;

import gmemsim.oracle.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per oracle: in how many runs it fired, and the first of them to replay. "First" is the lowest
 * run index, so a hunt split into seed ranges over many nodes keeps the same finding as one node
 * that made the same runs in order, whichever range came back first.
 */
public final class FindingsLedger {
  private final Map<String, Finding> byOracle = new LinkedHashMap<>();

  /** Run {@code run} (seed {@code runSeed}) ended with {@code r}; {@code elapsedMs} into the hunt. */
  public void record(long run, long runSeed, RunResult r, long elapsedMs) {
    for (Violation v : r.violations()) {
      merge(new Finding(v.oracle(), 1, run, runSeed, elapsedMs, run + 1, v, r.schedule()));
    }
  }

  /** Adds another ledger's finding (a seed range's, from another node): counts add, the lower run wins. */
  public void merge(Finding f) {
    Finding old = byOracle.get(f.oracle());
    if (old == null) {
      byOracle.put(f.oracle(), f);
    } else {
      Finding first = f.firstRun() < old.firstRun() ? f : old;
      byOracle.put(f.oracle(), new Finding(first.oracle(), old.count() + f.count(), first.firstRun(),
          first.firstRunSeed(), first.timeToFirstMs(), first.runsToFirst(), first.first(), first.schedule(),
          races(old.races(), f.races())));
    }
  }

  /**
   * Races merged by signature: counts add, the lower first run wins; at most {@link
   * Race#MAX_PER_ORACLE}, the earliest found (a race past the cap counts in the total only).
   */
  private static List<Race> races(List<Race> a, List<Race> b) {
    Map<String, Race> bySignature = new LinkedHashMap<>();
    for (Race r : a) bySignature.put(r.signature(), r);
    for (Race r : b) {
      Race old = bySignature.get(r.signature());
      if (old != null) {
        Race first = r.firstRun() < old.firstRun() ? r : old;
        bySignature.put(r.signature(), first.counted(r == first ? old.count() : r.count()));
      } else {
        bySignature.put(r.signature(), r);
      }
    }
    List<Race> out = new ArrayList<>(bySignature.values());
    out.sort(Comparator.comparingLong(Race::firstRun));
    // Kept as an ArrayList: Kryo ships it to other nodes by a registered class.
    return out.size() > Race.MAX_PER_ORACLE ? new ArrayList<>(out.subList(0, Race.MAX_PER_ORACLE)) : out;
  }

  /** One more run fired {@code oracle}, which this ledger has a first run of already. */
  public void count(String oracle) {
    byOracle.computeIfPresent(oracle, (o, f) -> f.counted());
  }

  public boolean has(String oracle) {
    return byOracle.containsKey(oracle);
  }

  public boolean isEmpty() {
    return byOracle.isEmpty();
  }

  public int size() {
    return byOracle.size();
  }

  /** The findings, by oracle, in the order of their first run. */
  public Map<String, Finding> findings() {
    List<Finding> all = new ArrayList<>(byOracle.values());
    all.sort(Comparator.comparingLong(Finding::firstRun));
    Map<String, Finding> out = new LinkedHashMap<>();
    for (Finding f : all) out.put(f.oracle(), f);
    return out;
  }

  /** As they are, for shipping: one entry per oracle. */
  public List<Finding> list() {
    return List.copyOf(byOracle.values());
  }
}
