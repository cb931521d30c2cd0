package gmemsim.model.prim;

import gmemsim.lang.Type;
import java.util.List;

/**
 * One declared primitive, as the registry keeps it: what {@link Primitive} says, the owner class
 * whose method runs it, its id (its place in the sorted registry: the same on every node of one
 * build) and the invoker that calls the method without reflection.
 */
public record Prim(
    int id,
    String name,
    Class<?> owner,
    String method,
    List<String> args,
    Type ret,
    String doc,
    Route route,
    String yes,
    String no,
    int objectStart,
    int objectEnd,
    boolean releasesLock,
    boolean blocks,
    Ref ref,
    int refArg,
    int outParam,
    boolean readsGhost,
    boolean typesafeByRcu,
    boolean outsideKernel,
    Invoker invoker) {

  /** Calls the declaring method on its owner. */
  @FunctionalInterface
  public interface Invoker {
    long invoke(Object owner, Call c);
  }

  /** Whether the step may reach a freed kernel object without using it after free. */
  public boolean mayReachFreed() {
    return typesafeByRcu || outsideKernel;
  }

  public boolean isDecision() {
    return yes != null;
  }

  /** "folio_try_get(folio)" as source calls it. */
  public String signature() {
    return name + "(" + String.join(", ", args) + ")";
  }
}
