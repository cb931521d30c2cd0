package gmemsim.model.prim;

/**
 * A state owner that is one kernel object with a lifetime of its own (struct kvm): once freed, it
 * still answers every step, as freed memory still holds its old contents, and each such step is
 * reported as a use after free ({@link Primitives#handle}).
 */
public interface KernelObject {
  boolean freed();

  /** The object as a report names it ("struct kvm kvm0"). */
  String objectName();
}
