package gmemsim.model.prim;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an atomic kernel operation on the state owner whose method carries it: one step of a
 * kernel path, one message to that owner. Everything else follows from this declaration: the
 * generic {@link Step} message that carries it (one wire id for all), the call's checks in kernel
 * source, its coverage outcomes, and what {@code gmemsim list} prints. The method takes a {@link
 * Call} and returns the step's result (or {@link Call#LATER} when it answers later, as a lock
 * does for a waiter).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Primitive {
  /** The kernel name, as source calls it. */
  String value();

  /**
   * Argument names, in order. A name starting with '*' receives a second result through a pointer
   * ({@code &order}); its value is the reply's second value.
   */
  String[] args() default {};

  /** The C return type: "int" (the default), "long", "bool", "void", "struct folio *", ... */
  String ret() default "int";

  /** One line for {@code gmemsim list}: what the step does, and the upstream function it follows. */
  String doc();

  /** How a call finds the component that owns what the step touches. */
  Route route() default Route.FIRST_ARG;

  /** For a step whose result is a decision: the names of nonzero and zero ("got", "fail"). */
  String[] decides() default {};

  /**
   * The argument naming what the step touches, for race windows: "folio", or "start..end" for a
   * range; "" when the step touches the whole owner.
   */
  String objects() default "";

  /** A lock release: the runtime may preempt the releaser right after it (preempt_enable, a wake). */
  boolean releasesLock() default false;

  /** The step may sleep until another path acts (a lock acquire): it may answer later. */
  boolean blocks() default false;

  /** What the step does to the references the caller believes it holds (ghost, see RefBeliefs). */
  Ref ref() default Ref.NONE;

  /** For {@link Ref#USES}: the argument naming the page used under a reference. */
  String refArg() default "";

  /** The step reads its arguments' ghosts (a translation's allocation, as the EPT recorded it). */
  boolean readsGhost() default false;

  /**
   * The step may reach its object after the object was freed, as upstream's does on a
   * SLAB_TYPESAFE_BY_RCU cache (get_file_active(): an increment unless the count is zero, which
   * is what a freed struct file holds): on a {@link KernelObject} it is no use after free.
   */
  boolean typesafeByRcu() default false;

  /**
   * The step stands for something outside the kernel that the model reads off an owner's state
   * (the frame a machine check hits, the pfn a compaction scanner reaches): it uses no kernel
   * object, so on a freed {@link KernelObject} it is no use after free either.
   */
  boolean outsideKernel() default false;
}
