package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.kvm.KvmEvents;
import gmemsim.model.mm.MmEvents;
import java.util.List;

/**
 * {@code stale-mapping}: the EPT or a guest TLB maps a gfn to a pfn that guest_memfd no longer
 * holds at the gfn's index (seen when the guest accesses through it), or maps it as private while
 * its attributes say shared or the other way round (seen when the SPTE is installed, or when the
 * attributes change under a live SPTE).
 */
public final class StaleMappingOracle implements Oracle {
  public static final String NAME = "stale-mapping";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(MmEvents.GuestAccess.class, KvmEvents.SpteInstalled.class, KvmEvents.AttributesStored.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof MmEvents.GuestAccess a) {
      if (a.mappingNow() == a.inode() && a.indexNow() == a.index()) return;
      String now = a.mappingNow() == 0 ? "is in no file" : "is index " + a.indexNow() + " of inode " + a.mappingNow();
      sink.fire(
          NAME,
          a.actor() + " reaches gfn " + hex(a.gfn()) + " through pfn " + hex(a.pfn()) + ", but guest_memfd index "
              + a.index() + " no longer holds that page: it " + now,
          List.of(a.actor()),
          List.of(hex(a.gfn()), hex(a.pfn())));
    } else if (e instanceof KvmEvents.SpteInstalled i && i.mismatched() > 0) {
      sink.fire(
          NAME,
          i.actor() + " maps gfn " + hex(i.gfn()) + (i.nr() > 1 ? " (+" + (i.nr() - 1) + ")" : "") + " as "
              + (i.isPrivate() ? "private" : "shared") + " while the memory attributes of " + i.mismatched()
              + " of its gfns say " + (i.isPrivate() ? "shared" : "private"),
          List.of(i.actor()),
          List.of(hex(i.gfn())));
    } else if (e instanceof KvmEvents.AttributesStored a && a.stillMapped() > 0) {
      sink.fire(
          NAME,
          a.actor() + " makes gfns [" + hex(a.start()) + ", " + hex(a.end()) + ") " + (a.isPrivate() ? "private" : "shared")
              + " while " + a.stillMapped() + " of them are still mapped as " + (a.isPrivate() ? "shared" : "private"),
          List.of(a.actor()),
          List.of(hex(a.start())));
    }
  }
}
