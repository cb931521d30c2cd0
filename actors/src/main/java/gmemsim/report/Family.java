package gmemsim.report;

import java.util.List;

/**
 * The known-bad variants of one scenario file (those whose expect names violations) with the hit
 * rate of their bug as measured: what a clean hunt of the same workload can be compared with.
 * A bug's hits are the runs its most frequent expected oracle fired in.
 */
public record Family(List<Member> members) {
  public record Member(String variant, String oracle, HitRate rate) {}

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /** The lowest 95% lower bound of a member's rate: the rarest known bug, conservatively. */
  public double lowestRate() {
    return members.stream().mapToDouble(m -> m.rate().lower(HitRate.LEVEL)).min().orElse(0);
  }

  public Member rarest() {
    Member best = null;
    for (Member m : members) if (best == null || m.rate().lower(HitRate.LEVEL) < best.rate().lower(HitRate.LEVEL)) best = m;
    return best;
  }

  /** The probability that a clean hunt of {@code runs} runs would have found each of these bugs at least. */
  public double foundEach(long runs) {
    return HitRate.foundIn(runs, lowestRate());
  }

  /** "posted (refcount-error 111/102,653), ..." */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Member m : members) {
      if (b.length() > 0) b.append(", ");
      b.append(String.format("%s (%s in %,d of %,d runs)", m.variant(), m.oracle(), m.rate().hits(), m.rate().runs()));
    }
    return b.toString();
  }
}
