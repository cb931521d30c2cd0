package gmemsim.model.program;

import gmemsim.scenario.program.OpCall;

/**
 * A scenario memo key for something worked out once per written operation: what, and the
 * operation by identity (hashing its arguments would cost more than the memo saves).
 */
record CallMemo(String what, OpCall call) {
  @Override
  public boolean equals(Object o) {
    return o instanceof CallMemo m && m.call == call && m.what.equals(what);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(call) * 31 + what.hashCode();
  }
}
