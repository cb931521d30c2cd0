package gmemsim.model.exec;

import gmemsim.lang.Extern;
import gmemsim.lang.Externals;
import gmemsim.lang.Type;
import gmemsim.model.Errno;
import gmemsim.model.dmap.Addr;
import gmemsim.model.prim.Prim;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Structs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What kernel source may name besides its own functions: every primitive (ids 0..P-1, as the
 * registry numbers them), every {@link Builtin} (ids from P), the integer constants (errnos, page
 * geometry) and the struct fields of {@link Structs}.
 */
public final class KernelExterns implements Externals {
  public static final KernelExterns INSTANCE = new KernelExterns();

  private final Map<String, Extern> byName = new LinkedHashMap<>();
  private final Map<String, Long> constants = new LinkedHashMap<>();
  private final int prims;

  private KernelExterns() {
    List<Prim> all = Primitives.all();
    prims = all.size();
    for (Prim p : all) {
      byName.put(p.name(), new Extern(p.id(), p.name(), p.args(), p.ret(), p.outParam(), false, false));
    }
    for (Builtin b : Builtin.values()) {
      byName.put(b.cname, new Extern(prims + b.ordinal(), b.cname, b.params, b.ret, -1, b == Builtin.MAKE_TASK_DEAD || b == Builtin.VCPU_STOP,
          b.variadic));
    }
    Errno.BY_NAME.forEach((n, v) -> {
      if (!n.equals("SIGBUS")) constants.put(n, (long) -v);
    });
    constants.put("EINTR", 4L);
    constants.put("ENOENT", 2L);
    constants.put("ENOSYS", 38L);
    constants.put("NULL", 0L);
    constants.put("true", 1L);
    constants.put("false", 0L);
    constants.put("PAGE_SHIFT", (long) Addr.PAGE_SHIFT);
    constants.put("PAGE_SIZE", 1L << Addr.PAGE_SHIFT);
    constants.put("PAGE_OFFSET", Addr.PAGE_OFFSET);
    constants.put("PMD_ORDER", 9L);
    constants.put("HPAGE_PMD_ORDER", 9L);
    constants.put("PTRS_PER_PTE", 512L);
    constants.put("PMD_SIZE", 1L << 21);
    constants.put("KVM_FILTER_SHARED", gmemsim.model.kvm.Kvm.KVM_FILTER_SHARED);
    constants.put("KVM_FILTER_PRIVATE", gmemsim.model.kvm.Kvm.KVM_FILTER_PRIVATE);
    constants.put("GFP_KERNEL", 0xcc0L);
    constants.put("GFP_HIGHUSER", 0x100cc2L);
  }

  /** The number of primitives: externals with a smaller id are primitives, the rest builtins. */
  public int primitives() {
    return prims;
  }

  @Override
  public Extern extern(String name) {
    return byName.get(name);
  }

  @Override
  public Long constant(String name) {
    return constants.get(name);
  }

  public Map<String, Long> constants() {
    return java.util.Collections.unmodifiableMap(constants);
  }

  @Override
  public StructField field(String struct, String path) {
    return Structs.field(struct, path);
  }

  @Override
  public Collection<String> fields(String struct) {
    return Structs.fields(struct);
  }

  @Override
  public Collection<String> names() {
    List<String> out = new ArrayList<>(byName.keySet());
    out.addAll(constants.keySet());
    return out;
  }

  static Type type(String t) {
    return Primitives.parseTypeOf(t);
  }
}
