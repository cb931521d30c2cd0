package gmemsim.model.exec;

import gmemsim.lang.Program;
import gmemsim.model.Component;
import gmemsim.model.Topology;
import gmemsim.model.prim.Handles;
import gmemsim.model.prim.Prim;
import gmemsim.model.prim.Structs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What kernel source running on one machine needs besides its own frames: the compiled program,
 * where each primitive's state lives (a frame's memory component, an object's owner, the only
 * direct map), the CPUs an IPI reaches, and the fixed fields of kernel objects. One per machine,
 * filled while the machine is built.
 */
public final class KernelEnv {
  private final Program program;
  private final Topology topo;
  private final List<Component> comps;
  private final Map<Class<?>, Integer> singletons = new HashMap<>();
  /** By primitive id: its singleton owner's component + 1 (0: not looked up yet). */
  private int[] singletonByPrim = new int[64];
  /** By component: the fixed fields of the object it holds (null: none set). Read at every ->. */
  private long[][] fields = new long[16][];
  /** By component index: the CPUs of a VM's vCPUs (null: no VM there). */
  private int[][] vcpuCpus = new int[0][];
  private int[] cpus = new int[0];
  private final Segment[] segments;

  /** @param comps the machine's components, as they are being built (the same list) */
  public KernelEnv(Program program, Topology topo, List<Component> comps) {
    this.program = program;
    this.topo = topo;
    this.comps = comps;
    this.segments = JvmCode.segments(program);
  }

  /** The program's functions compiled to JVM code, by index (see {@link JvmCode}); null: interpreted. */
  Segment[] segments() {
    return segments;
  }

  public Program program() {
    return program;
  }

  public Topology topology() {
    return topo;
  }

  public Component component(int i) {
    return comps.get(i);
  }

  /** The only component of this owner class on the machine (the direct map). */
  public void singleton(Class<?> owner, int component) {
    singletons.put(owner, component);
  }

  /** The component index of the machine's only owner of this class, or -1. */
  public int singletonOf(Class<?> owner) {
    Integer i = singletons.get(owner);
    return i == null ? -1 : i;
  }

  public void cpus(int[] cpus) {
    this.cpus = cpus.clone();
  }

  /** The CPUs that run the vCPUs of the VM whose struct kvm is component kvm. */
  public void vcpuCpus(int kvm, int[] cpus) {
    if (kvm >= vcpuCpus.length) vcpuCpus = java.util.Arrays.copyOf(vcpuCpus, kvm + 1);
    vcpuCpus[kvm] = cpus.clone();
  }

  /** Sets a fixed field of the object that component {@code owner} holds. */
  public void field(int owner, String struct, String path, long value) {
    if (owner >= fields.length) fields = java.util.Arrays.copyOf(fields, Math.max(owner + 1, fields.length * 2));
    if (fields[owner] == null) fields[owner] = new long[Structs.count()];
    fields[owner][Structs.id(struct, path)] = value;
  }

  /** The fixed field {@code field} of the object handle h names. */
  long field(long h, int field) {
    if (!Handles.isHandle(h)) throw new IllegalStateException("-> through a value that is no kernel object: " + h);
    int c = Handles.component(h);
    long[] f = c < fields.length ? fields[c] : null;
    if (f == null) throw new IllegalStateException("-> " + Structs.fieldPath(field) + " of " + comps.get(Handles.component(h)).name()
        + ": the machine set no such field");
    return f[field];
  }

  /** The component a call of p with these arguments reaches. */
  int owner(Prim p, long[] args) {
    switch (p.route()) {
      case FIRST_ARG -> {
        long a = args[0];
        if (Handles.isHandle(a)) return Handles.component(a);
        if (a <= 0 || a > Integer.MAX_VALUE) {
          throw new IllegalStateException(p.name() + "(): " + a + " is neither a page frame nor a kernel object");
        }
        return topo.memoryFor((int) a);
      }
      case NODE -> {
        if (args[0] < 0 || args[0] >= topo.ranges()) throw new IllegalStateException(p.name() + "(): no memory node " + args[0]);
        return topo.memoryRange((int) args[0]);
      }
      case SINGLETON -> {
        int id = p.id();
        if (id < singletonByPrim.length && singletonByPrim[id] > 0) return singletonByPrim[id] - 1;
        Integer i = singletons.get(p.owner());
        if (i == null) throw new IllegalStateException(p.name() + "(): this machine has no " + p.owner().getSimpleName());
        if (id >= singletonByPrim.length) singletonByPrim = java.util.Arrays.copyOf(singletonByPrim, Math.max(id + 1, singletonByPrim.length * 2));
        singletonByPrim[id] = i + 1;
        return i;
      }
      default -> throw new IllegalStateException(p.name() + " is routed " + p.route());
    }
  }

  /** The components a broadcast call of p reaches. */
  int[] targets(Prim p, long[] args) {
    return switch (p.route()) {
      case EACH_CPU -> cpus;
      case EACH_VCPU -> {
        int c = Handles.component(args[0]);
        int[] v = c < vcpuCpus.length ? vcpuCpus[c] : null;
        yield v == null ? new int[0] : v;
      }
      default -> throw new IllegalStateException(p.name() + " is routed " + p.route());
    };
  }
}
