package gmemsim.runtime.akka;

import com.esotericsoftware.kryo.Kryo;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.ThreadProtocol;
import gmemsim.oracle.Violation;
import java.util.List;

/**
 * Every class that may cross a node, with a stable Kryo id. Every node builds the same table
 * from this list, so ids never depend on the order in which classes happen to be seen. Append
 * new classes at the end of their block; never renumber.
 */
public final class WireRegistry {
  /** Coordination messages of the Akka runtime, from id 110. */
  static final List<Class<?>> PROTOCOL =
      List.of(
          AkkaProtocol.Deliver.class,
          AkkaProtocol.Hello.class,
          AkkaProtocol.HelloBack.class,
          AkkaProtocol.Setup.class,
          AkkaProtocol.Placed.class,
          AkkaProtocol.SetupDone.class,
          AkkaProtocol.Directory.class,
          AkkaProtocol.DirectoryAck.class,
          AkkaProtocol.BeginRun.class,
          AkkaProtocol.Ready.class,
          AkkaProtocol.Go.class,
          AkkaProtocol.EndRun.class,
          AkkaProtocol.Ended.class,
          AkkaProtocol.Probe.class,
          AkkaProtocol.ProbeReply.class,
          AkkaProtocol.GetLogs.class,
          AkkaProtocol.Log.class,
          AkkaProtocol.Shutdown.class,
          AkkaProtocol.ThreadDone.class);

  /** Model messages carried inside Deliver, from id 200. */
  public static final List<Class<?>> MODEL =
      List.of(
          ThreadProtocol.Ret.class,
          MemoryProtocol.PageFolio.class,
          MemoryProtocol.FolioTryGet.class,
          MemoryProtocol.GetPageUnlessZero.class,
          MemoryProtocol.FolioPut.class,
          MemoryProtocol.FolioLock.class,
          MemoryProtocol.FolioUnlock.class,
          MemoryProtocol.CanSplitFolio.class,
          MemoryProtocol.FolioRefFreeze.class,
          MemoryProtocol.ClearCompoundHead.class,
          MemoryProtocol.FolioSetOrder.class,
          MemoryProtocol.FolioRefUnfreeze.class,
          MemoryProtocol.AllocPages.class,
          MemoryProtocol.PageWrite.class,
          MemoryProtocol.PageRead.class,
          MemoryProtocol.DirectMapLoad.class,
          gmemsim.model.dmap.DirectMapProtocol.LookupAddress.class,
          gmemsim.model.dmap.DirectMapProtocol.CpaSetPresent.class,
          gmemsim.model.dmap.DirectMapProtocol.CpaSplitLargePage.class,
          gmemsim.model.cpu.CpuProtocol.FlushTlbIpi.class,
          MemoryProtocol.DirectMapStore.class,
          MemoryProtocol.FolioRefAdd.class,
          MemoryProtocol.FolioFlag.class,
          MemoryProtocol.FolioMapping.class,
          MemoryProtocol.TempMapWrite.class,
          gmemsim.model.gmem.GmemProtocol.FilemapGetEntry.class,
          gmemsim.model.gmem.GmemProtocol.XaStoreFolio.class,
          gmemsim.model.gmem.GmemProtocol.PageCacheDelete.class,
          gmemsim.model.gmem.GmemProtocol.XaSplitFolio.class,
          gmemsim.model.gmem.GmemProtocol.InvalidateLock.class,
          gmemsim.model.gmem.GmemProtocol.InvalidateUnlock.class,
          gmemsim.model.gmem.BalloonProtocol.Inflate.class,
          gmemsim.model.gmem.BalloonProtocol.Pop.class,
          gmemsim.model.gmem.Futex.Wait.class,
          gmemsim.model.gmem.Futex.Wake.class,
          gmemsim.model.gmem.GmemProtocol.GetFileActive.class,
          gmemsim.model.gmem.GmemProtocol.Fput.class,
          MemoryProtocol.GuestAccess.class,
          gmemsim.model.cpu.CpuProtocol.KvmTlbFlushRequest.class,
          gmemsim.model.kvm.KvmProtocol.MmuLock.class,
          gmemsim.model.kvm.KvmProtocol.MmuUnlock.class,
          gmemsim.model.kvm.KvmProtocol.SlotsLock.class,
          gmemsim.model.kvm.KvmProtocol.ReadMmuInvalidateSeq.class,
          gmemsim.model.kvm.KvmProtocol.KvmMemIsPrivate.class,
          gmemsim.model.kvm.KvmProtocol.MmuInvalidateRetryGfn.class,
          gmemsim.model.kvm.KvmProtocol.TdpMmuMap.class,
          gmemsim.model.kvm.KvmProtocol.EptWalk.class,
          gmemsim.model.kvm.KvmProtocol.TdgMemPageAccept.class,
          gmemsim.model.kvm.KvmProtocol.MmuInvalidateBegin.class,
          gmemsim.model.kvm.KvmProtocol.MmuInvalidateRangeAdd.class,
          gmemsim.model.kvm.KvmProtocol.MmuUnmapGfnRange.class,
          gmemsim.model.kvm.KvmProtocol.MmuInvalidateEnd.class,
          gmemsim.model.kvm.KvmProtocol.SplitCrossBoundaryLeafs.class,
          gmemsim.model.kvm.KvmProtocol.SetMemAttributes.class,
          gmemsim.model.kvm.KvmProtocol.SlotGmemFile.class,
          gmemsim.model.kvm.KvmProtocol.ClearSlotGmemFile.class,
          gmemsim.model.kvm.KvmProtocol.MmuInvalidateRangeAddHugepages.class,
          gmemsim.model.kvm.KvmProtocol.KvmArchPostSetMemoryAttributes.class,
          MemoryProtocol.FolioGetAnonVma.class,
          MemoryProtocol.FolioRemoveRmapPtesPut.class,
          MemoryProtocol.FolioAddRmapPtes.class,
          MemoryProtocol.ZapPteRmap.class,
          gmemsim.model.mm.UserMmProtocol.GupFastReadPte.class,
          gmemsim.model.mm.UserMmProtocol.SetMigrationEntries.class,
          gmemsim.model.mm.UserMmProtocol.RemoveMigrationPtes.class,
          gmemsim.model.mm.UserMmProtocol.ZapPteRange.class,
          gmemsim.model.mm.UserMmProtocol.AnonVmaLock.class,
          gmemsim.model.dmap.DirectMapProtocol.CpaLock.class,
          gmemsim.model.gmem.GmemProtocol.InvalidateTrylock.class,
          MemoryProtocol.TestSetPageHwPoison.class,
          gmemsim.model.gmem.GmemProtocol.XaReplaceFolio.class);

  /** Plain Java types inside the messages above, from id 300. */
  static final List<Class<?>> VALUES =
      List.of(
          Violation.class,
          long[].class,
          java.util.ArrayList.class,
          java.util.HashMap.class,
          java.util.LinkedHashMap.class,
          java.util.Collections.unmodifiableList(new java.util.ArrayList<>()).getClass(),
          java.util.Collections.unmodifiableMap(new java.util.HashMap<>()).getClass());

  private WireRegistry() {}

  static void register(Kryo k) {
    k.register(akka.actor.typed.internal.adapter.ActorRefAdapter.class, 100);
    for (int i = 0; i < PROTOCOL.size(); i++) k.register(PROTOCOL.get(i), 110 + i);
    for (int i = 0; i < MODEL.size(); i++) k.register(MODEL.get(i), 200 + i);
    for (int i = 0; i < VALUES.size(); i++) k.register(VALUES.get(i), 300 + i);
  }
}
