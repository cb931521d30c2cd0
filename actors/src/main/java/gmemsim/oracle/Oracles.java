package gmemsim.oracle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The oracles gmemsim implements, by stable name, with the line {@code gmemsim list} prints. */
public final class Oracles {
  private record Entry(Supplier<Oracle> make, String description) {}

  private static final Map<String, Entry> ALL = new LinkedHashMap<>();

  static {
    ALL.put(
        WrongFolioRefOracle.NAME,
        new Entry(
            WrongFolioRefOracle::new,
            "a path uses page P under a reference on a folio that no longer contains P"));
    ALL.put(
        UseAfterFreeOracle.NAME,
        new Entry(
            UseAfterFreeOracle::new,
            "a page is accessed after the allocation its user referenced was freed"));
    ALL.put(
        RefcountErrorOracle.NAME,
        new Entry(
            RefcountErrorOracle::new,
            "refcount underflow, a put of a reference never taken, a wrong unfreeze, or"
                + " references left after teardown"));
    ALL.put(
        DirectMapLeakOracle.NAME,
        new Entry(
            DirectMapLeakOracle::new,
            "guest-private data of no-direct-map memory is read through the kernel direct map"
                + " (valid entry or stale TLB entry)"));
    ALL.put(
        DirectMapFaultOracle.NAME,
        new Entry(
            DirectMapFaultOracle::new,
            "the kernel touches a direct-map address whose entry is invalid where it needs the"
                + " mapping (an oops)"));
    ALL.put(
        MemoryLostOracle.NAME,
        new Entry(
            MemoryLostOracle::new,
            "a page is leaked or poisoned (e.g. HWPoison because its direct-map entry could not be"
                + " restored)"));
    ALL.put(
        StaleMappingOracle.NAME,
        new Entry(
            StaleMappingOracle::new,
            "the EPT or a guest TLB maps a gfn to a page guest_memfd no longer holds at that index,"
                + " or maps it private while its attributes say shared (or the reverse)"));
    ALL.put(
        OverZapOracle.NAME,
        new Entry(
            OverZapOracle::new,
            "a TD's private mapping outside the range userspace asked to punch or convert was"
                + " removed, with pages the guest had accepted"));
    ALL.put(
        WarnOracle.NAME,
        new Entry(WarnOracle::new, "a WARN_ON/WARN_ON_ONCE site of the modelled code is reached"));
    ALL.put(
        AbiFailureOracle.NAME,
        new Entry(
            AbiFailureOracle::new,
            "a legitimate userspace operation fails with an error retrying cannot cure (e.g. a"
                + " second write() to a guest_memfd range)"));
    ALL.put(
        WrongDataOracle.NAME,
        new Entry(
            WrongDataOracle::new,
            "a program reads back data other than its expect-data (a store lost, a punched page not"
                + " zeros)"));
    ALL.put(
        UnbalancedOracle.NAME,
        new Entry(
            UnbalancedOracle::new,
            "a run ends with something begun and never ended: an invalidation in progress, a lock"
                + " or a folio lock held by a path that finished, interrupts or preemption left disabled"));
    ALL.put(
        LivelockOracle.NAME,
        new Entry(
            LivelockOracle::new,
            "a path retries without bound while nothing else can change its outcome (only"
                + " spinning retry loops have work left)"));
    ALL.put(
        DeadlockOracle.NAME,
        new Entry(
            DeadlockOracle::new,
            "a wait-for cycle over the modelled locks (invalidate_lock, mmu_lock, slots_lock), a"
                + " thread that can never finish (nothing in flight will wake it), or a run that"
                + " makes no progress within its step limit"));
  }

  private Oracles() {}

  public static Set<String> names() {
    return ALL.keySet();
  }

  public static String description(String name) {
    return ALL.get(name).description();
  }

  /** Which of {@link #create()}'s oracles read each event type: their order never changes. */
  private static final ClassValue<int[]> ROUTES = OracleSet.routes(instances());

  private static List<Oracle> instances() {
    return ALL.values().stream().map(e -> e.make().get()).toList();
  }

  private static final OracleSet NONE = new OracleSet(new Oracle[0], OracleSet.routes(List.of()));

  /** No oracle: for a component not yet told which run it serves. */
  public static OracleSet none() {
    return NONE;
  }

  private static final Supplier<?>[] MAKERS = ALL.values().stream().map(Entry::make).toArray(Supplier[]::new);

  /** Fresh instances for one run (a hunt makes one set per run: no stream). */
  public static OracleSet create() {
    Oracle[] os = new Oracle[MAKERS.length];
    for (int i = 0; i < os.length; i++) os[i] = (Oracle) MAKERS[i].get();
    return new OracleSet(os, ROUTES);
  }
}
