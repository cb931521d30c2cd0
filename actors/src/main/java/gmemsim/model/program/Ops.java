package gmemsim.model.program;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every operation a program may hold, by name. A new operation is one entry in a family's {@code all()}. */
public final class Ops {
  private static final Map<String, Op> ALL = new LinkedHashMap<>();

  static {
    List<Op> ops = new ArrayList<>();
    ops.addAll(FileOps.all());
    ops.addAll(MmOps.all());
    ops.addAll(KvmOps.all());
    ops.addAll(GuestOps.all());
    ops.addAll(KernelOps.all());
    ops.addAll(DirectMapOps.all());
    ops.addAll(AnonOps.all());
    ops.addAll(SyncOps.all());
    for (Op o : ops) {
      if (ALL.put(o.spec().name(), o) != null) throw new IllegalStateException("two operations named " + o.spec().name());
    }
  }

  private Ops() {}

  public static Map<String, Op> all() {
    return java.util.Collections.unmodifiableMap(ALL);
  }
}
