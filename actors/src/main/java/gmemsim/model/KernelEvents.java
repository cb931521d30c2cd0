package gmemsim.model;

/** Ghost facts about kernel behaviour that no single owner's state shows. */
public final class KernelEvents {
  private KernelEvents() {}

  /** A WARN_ON()/WARN_ON_ONCE() site of the modelled code was reached. */
  public record Warn(String actor, String site, String condition) implements Event {}

  /**
   * A userspace operation the ABI allows failed with an error that is not transient (not -ENOMEM,
   * -EINTR, -EAGAIN): the caller cannot make it succeed by retrying.
   */
  public record AbiFailure(String actor, String operation, long errno) implements Event {}

  /**
   * A system call of a scenario's program returned something other than what the program said it
   * must return ({@code expect}).
   *
   * @param operation the call as written, with where it was written
   */
  public record UnexpectedResult(String actor, String operation, String expected, long actual) implements Event {}

  /**
   * A program read data other than what it said it must read ({@code expect-data}).
   *
   * @param operation the operation as written, with where it was written
   * @param pfn the page it read
   * @param expected the byte expected everywhere in the page, or "zeros"
   * @param actual what the page held, described
   */
  public record UnexpectedData(String actor, String operation, int pfn, String expected, String actual) implements Event {}

  /** A step reached a kernel object (struct kvm) after it was freed: {@code primitive} ran on freed memory. */
  public record ObjectUseAfterFree(String actor, String object, String primitive) implements Event {}
}
