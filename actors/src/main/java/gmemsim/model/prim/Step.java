package gmemsim.model.prim;

import gmemsim.model.Describe;
import gmemsim.model.Msg;

/**
 * The one message that carries any primitive: which one, its arguments (and their ghosts when
 * the step reads them), the call site it was sent from (traces and coverage name its source line),
 * whether the sender is spinning (its path went round a retry loop: {@code cond_resched()}), and,
 * for a step that moves references it does not own (the page cache's), the component whose they
 * are in the ghost ledger ({@code __ghost_holder()}; -1: the sender's own).
 */
public record Step(int prim, long[] args, long[] ghosts, int site, boolean yields, int holder) implements Msg {
  /** Arguments compare by content: a step that crossed a node is the same step. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Step s && s.prim == prim && s.site == site && s.yields == yields && s.holder == holder
        && java.util.Arrays.equals(s.args, args) && java.util.Arrays.equals(s.ghosts, ghosts);
  }

  @Override
  public int hashCode() {
    return (prim * 31 + site) * 31 + java.util.Arrays.hashCode(args);
  }

  @Override
  public String toString() {
    return describe();
  }

  public Prim primitive() {
    return Primitives.get(prim);
  }

  @Override
  public String step() {
    return Primitives.get(prim).name();
  }

  @Override
  public boolean releasesLock() {
    return Primitives.get(prim).releasesLock();
  }

  @Override
  public String outcome(long value) {
    Prim p = Primitives.get(prim);
    if (p.isDecision()) return value != 0 ? p.yes() : p.no();
    return Msg.super.outcome(value);
  }

  @Override
  public java.util.List<String> outcomes() {
    Prim p = Primitives.get(prim);
    return p.isDecision() ? java.util.List.of(p.yes(), p.no()) : null;
  }

  @Override
  public long objectStart() {
    int i = Primitives.get(prim).objectStart();
    return i < 0 ? -1 : args[i];
  }

  @Override
  public long objectEnd() {
    Prim p = Primitives.get(prim);
    if (p.objectStart() < 0) return -1;
    return p.objectEnd() >= 0 ? args[p.objectEnd()] : args[p.objectStart()] + 1;
  }

  /** "folio_try_get(folio=0x100200)": handles of whole objects are left out (the recipient is the object). */
  @Override
  public String describe() {
    Prim p = Primitives.get(prim);
    StringBuilder sb = new StringBuilder(p.name()).append('(');
    boolean first = true;
    for (int i = 0; i < args.length; i++) {
      // An out argument is a pointer to the caller's local: nothing a reader needs.
      if (i == p.outParam()) continue;
      String n = i < p.args().size() ? p.args().get(i) : "arg" + i;
      String v = Handles.describe(args[i]);
      if (v == null) {
        long a = args[i];
        // Kernel addresses are negative as signed values; errnos are small negatives.
        v = Describe.isAddress(n) && (a >= 0 || a < -4095) ? Describe.hex(a) : Long.toString(a);
      } else if (v.isEmpty()) {
        continue;
      }
      if (!first) sb.append(", ");
      first = false;
      sb.append(n).append('=').append(v);
    }
    return first ? p.name() : sb.append(')').toString();
  }
}
