package gmemsim.model.prim;

import gmemsim.lang.Type;
import gmemsim.model.Ctx;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of every primitive: the {@link Primitive} methods of the state owners in {@link
 * #OWNERS}, sorted by owner and name so that every node of one build numbers them alike. It also
 * runs a {@link Step} on the component it reached.
 */
public final class Primitives {
  /** The classes (and interfaces) that declare primitives. */
  private static final List<Class<?>> OWNERS = List.of(
      LockOwner.class,
      gmemsim.model.mm.Memory.class,
      gmemsim.model.mm.UserMm.class,
      gmemsim.model.kvm.Kvm.class,
      gmemsim.model.cpu.Cpu.class,
      gmemsim.model.gmem.GmemInode.class,
      gmemsim.model.dmap.DirectMap.class,
      gmemsim.model.dmap.PageHandoff.class,
      gmemsim.model.gmem.Futex.class,
      gmemsim.model.gmem.VirtioBalloon.class);

  private static final Prim[] TABLE;
  private static final Map<String, Prim> BY_NAME = new LinkedHashMap<>();
  private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

  static {
    List<Method> ms = new ArrayList<>();
    for (Class<?> c : OWNERS) for (Method m : c.getDeclaredMethods()) if (m.isAnnotationPresent(Primitive.class)) ms.add(m);
    ms.sort(Comparator.comparing((Method m) -> m.getDeclaringClass().getName()).thenComparing(m -> m.getAnnotation(Primitive.class).value()));
    TABLE = new Prim[ms.size()];
    for (int i = 0; i < ms.size(); i++) {
      Prim p = declare(i, ms.get(i));
      Prim old = BY_NAME.put(p.name(), p);
      if (old != null) {
        throw new IllegalStateException("primitive " + p.name() + " is declared twice: " + old.owner().getSimpleName() + "."
            + old.method() + " and " + p.owner().getSimpleName() + "." + p.method());
      }
      TABLE[i] = p;
    }
  }

  private Primitives() {}

  public static Prim get(int id) {
    return TABLE[id];
  }

  /** The primitive of this kernel name, or null. */
  public static Prim byName(String name) {
    return BY_NAME.get(name);
  }

  public static List<Prim> all() {
    return List.of(TABLE);
  }

  /** Runs step s on owner, the component it was sent to, and replies unless the body answers later. */
  public static void handle(Object owner, Step s, Ctx ctx) {
    Prim p = TABLE[s.prim()];
    Call c = call(ctx);
    c.reset(p, s.args(), s.ghosts(), ctx, ctx.sender(), s.holder());
    long v = invoke(p, owner, c);
    if (v != Call.LATER) ctx.reply(new Ret(v, c.replyGhost()));
  }

  /**
   * Runs a primitive inline on the executor itself (route SELF: its own TLB, its own task), with
   * no step. Returns the value; the reply's second value goes to {@code ghostOut[0]}.
   */
  public static long inline(Object owner, Prim p, long[] args, long[] ghosts, Ctx ctx, long[] ghostOut) {
    Call c = call(ctx);
    c.reset(p, args, ghosts, ctx, ctx.self(), -1);
    long v = invoke(p, owner, c);
    if (v == Call.LATER) throw new IllegalStateException(p.name() + " runs inline and cannot answer later");
    ghostOut[0] = c.replyGhost();
    return v;
  }

  private static Call call(Ctx ctx) {
    Call c = ctx.scratchCall();
    return c != null ? c : CALLS.get();
  }

  private static long invoke(Prim p, Object owner, Call c) {
    if (!p.owner().isInstance(owner)) {
      throw new IllegalStateException(p.name() + "() reached " + owner.getClass().getSimpleName() + ", which does not own its"
          + " state (" + p.owner().getSimpleName() + " does)");
    }
    return p.invoker().invoke(owner, c);
  }

  private static Prim declare(int id, Method m) {
    Primitive a = m.getAnnotation(Primitive.class);
    if (m.getReturnType() != long.class || m.getParameterCount() != 1 || m.getParameterTypes()[0] != Call.class) {
      throw new IllegalStateException(m + ": a primitive's method takes a Call and returns long");
    }
    List<String> args = List.of(a.args());
    int out = -1;
    for (int i = 0; i < args.size(); i++) if (args.get(i).startsWith("*")) out = i;
    String yes = a.decides().length == 2 ? a.decides()[0] : null;
    String no = a.decides().length == 2 ? a.decides()[1] : null;
    if (a.decides().length != 0 && a.decides().length != 2) throw new IllegalStateException(m + ": decides names two outcomes");
    int os = -1;
    int oe = -1;
    if (!a.objects().isEmpty()) {
      String[] r = a.objects().split("\\.\\.");
      os = indexOf(m, args, r[0]);
      if (r.length == 2) oe = indexOf(m, args, r[1]);
    }
    return new Prim(id, a.value(), m.getDeclaringClass(), m.getName(), args, parseTypeOf(a.ret()), a.doc(), a.route(), yes, no,
        os, oe, a.releasesLock(), a.blocks(), a.ref(), a.refArg().isEmpty() ? 0 : indexOf(m, args, a.refArg()), out, a.readsGhost(),
        a.typesafeByRcu(), a.outsideKernel(), invoker(m));
  }

  private static int indexOf(Method m, List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0) throw new IllegalStateException(m + ": objects names " + name + ", not an argument");
    return i;
  }

  /** "struct folio *" -> Type(struct folio, 1). */
  public static Type parseTypeOf(String t) {
    String s = t.strip();
    int ptr = 0;
    while (s.endsWith("*")) {
      ptr++;
      s = s.substring(0, s.length() - 1).strip();
    }
    return new Type(s, ptr);
  }

  private static Prim.Invoker invoker(Method m) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(m.getDeclaringClass(), MethodHandles.lookup());
      MethodHandle target = lookup.unreflect(m);
      CallSite site = LambdaMetafactory.metafactory(lookup, "invoke", MethodType.methodType(Prim.Invoker.class),
          MethodType.methodType(long.class, Object.class, Call.class), target,
          MethodType.methodType(long.class, m.getDeclaringClass(), Call.class));
      return (Prim.Invoker) site.getTarget().invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot bind primitive " + m + ": " + e, e);
    }
  }
}
