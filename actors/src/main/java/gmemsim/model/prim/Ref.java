package gmemsim.model.prim;

/**
 * What a primitive does to the references its caller believes it holds (the ghost ledger of
 * {@code RefBeliefs}): the kernel keeps no such record; the oracles judge a path's uses of pages
 * against it.
 */
public enum Ref {
  NONE,
  /** A successful call took a reference on the folio its first argument names (the reply's ghost: its generation and order). */
  GETS,
  /** A successful call returned a folio with a reference the caller now holds (an allocation). */
  GETS_RESULT,
  /** The call dropped a reference on the folio its first argument names. */
  PUTS,
  /**
   * The step uses a page under a reference (the page its first argument names, or refArg's): it
   * carries the belief that covers the page as its ghosts, {folio, generation} ({0, 0}: none).
   */
  USES
}
