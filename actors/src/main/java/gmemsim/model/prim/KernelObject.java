package gmemsim.model.prim;

/**
 * A state owner that is one kernel object with a lifetime of its own (struct kvm, a guest_memfd's
 * struct file and inode): once freed, it still answers every step, as freed memory still holds
 * its old contents, and reports each such step as a use after free, except a step declared
 * {@link Primitive#typesafeByRcu()} or {@link Primitive#outsideKernel()}. The check is the owner's own (its onMessage(),
 * or {@link #checkUse} where a runtime dispatches steps directly).
 */
public interface KernelObject extends StateOwner {
  boolean freed();

  /** The object as a report names it ("struct kvm kvm0"). */
  String objectName();

  /** Every step a freed object gets is a use after free, reported before the step runs. */
  @Override
  default void onMessage(gmemsim.model.Msg m, gmemsim.model.Ctx ctx) {
    checkUse(this, m, ctx);
    StateOwner.super.onMessage(m, ctx);
  }

  /** Reports m as a use after free if o is freed and m's step may not reach a freed object (a runtime's direct dispatch calls it too). */
  static void checkUse(KernelObject o, gmemsim.model.Msg m, gmemsim.model.Ctx ctx) {
    if (o.freed() && !(m instanceof Step s && Primitives.get(s.prim()).mayReachFreed())) {
      ctx.emit(new gmemsim.model.KernelEvents.ObjectUseAfterFree(ctx.name(ctx.sender()), o.objectName(),
          m instanceof Step st ? Primitives.get(st.prim()).name() : m.step()));
    }
  }
}
