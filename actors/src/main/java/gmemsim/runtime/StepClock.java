package gmemsim.runtime;

/**
 * Which deliveries count as steps for pct's change points. pct counts every step; pct-racing
 * (issue 26) counts only racing steps, deliveries to a component another lane has already reached
 * in this run, so that k, and with it pct's bound 1/(n k^(d-1)), is over the steps that can race
 * and the change points fall where lanes meet. A variant is this function swapped, not a flag.
 */
public interface StepClock {
  void reset(int components);

  /** The clock's time at scheduler step {@code step}. */
  long now(long step);

  /** Whether delivering e now would be a counted step (a change point may only fall on one). */
  boolean counts(Envelope e);

  void delivered(Envelope e);

  StepClock EVERY_STEP = new StepClock() {
    @Override
    public void reset(int components) {}

    @Override
    public long now(long step) {
      return step;
    }

    @Override
    public boolean counts(Envelope e) {
      return true;
    }

    @Override
    public void delivered(Envelope e) {}
  };

  /** A fresh racing-step clock (it has state per run). */
  static StepClock racing() {
    return new StepClock() {
      private int[] firstLane = new int[0];
      private boolean[] shared = new boolean[0];
      private long count;

      @Override
      public void reset(int components) {
        firstLane = new int[components];
        java.util.Arrays.fill(firstLane, -1);
        shared = new boolean[components];
        count = 0;
      }

      @Override
      public long now(long step) {
        return count;
      }

      @Override
      public boolean counts(Envelope e) {
        int to = e.to();
        return shared[to] || (firstLane[to] >= 0 && firstLane[to] != e.lane());
      }

      @Override
      public void delivered(Envelope e) {
        if (counts(e)) count++;
        int to = e.to();
        if (firstLane[to] < 0) firstLane[to] = e.lane();
        else if (firstLane[to] != e.lane()) shared[to] = true;
      }
    };
  }
}
