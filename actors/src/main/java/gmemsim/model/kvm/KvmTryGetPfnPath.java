package gmemsim.model.kvm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Topology;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.mm.UserMm;
import gmemsim.model.mm.UserMmProtocol;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * One EPT violation of a VM whose memslot is the VMM's anonymous guest RAM, then the guest's
 * writes through the new mapping (arch/x86/kvm/mmu/mmu.c kvm_tdp_page_fault(), virt/kvm/
 * kvm_main.c hva_to_pfn() -> hva_to_pfn_fast() -> get_user_page_fast_only(), mm/gup.c
 * gup_fast_pte_range()):
 *
 * <ol>
 *   <li>snapshot mmu_invalidate_seq;
 *   <li>gup-fast with IRQs off: read the PTE (a migration entry or none fails gup-fast: the slow
 *       path waits for the migration, the fault goes round again), take a reference on the page's
 *       folio in the variant of {@code kvm.try-get-pfn} (mainline: try_grab_folio_fast() ->
 *       try_get_folio(): page_folio(), folio_ref_try_add(), re-read page_folio() and put/retry on
 *       change), then re-read the PTE and put the folio and fail if it changed;
 *   <li>read_lock(mmu_lock), mmu_invalidate_retry_gfn(), install the SPTE, then
 *       kvm_release_faultin_page() = put_page(page) = folio_put(page_folio(page)) while still
 *       holding mmu_lock, read_unlock;
 *   <li>the guest writes the page through the EPT. From here no reference protects the mapping:
 *       mmu_notifier invalidation (kvm_mmu_notifier_invalidate_range_start) zaps it before the
 *       mm changes the PTE.
 * </ol>
 */
public final class KvmTryGetPfnPath extends PcPath<KvmTryGetPfnPath.Pc> {
  enum Pc {
    SEQ,
    READ_PTE,
    GET_PAGE_UNLESS_ZERO,
    PAGE_FOLIO,
    FOLIO_TRY_GET,
    PAGE_FOLIO_RECHECK,
    FOLIO_PUT_RETRY,
    PTE_RECHECK,
    GUP_PUT,
    VCPU_MAP_WRITE,
    MMU_LOCK,
    RETRY_CHECK,
    MAP,
    RELEASE_PAGE_FOLIO,
    RELEASE_PUT,
    MMU_UNLOCK,
    EPT_WALK,
    GUEST_WRITE,
    DONE
  }

  private static final java.util.List<String> RECHECK_OUTCOMES = java.util.List.of("same folio", "folio changed: put, retry");

  private final TryGetPfnVariant variant;
  private final Topology topo;
  private final int mm;
  private final KvmBinding b;
  private final int pages;
  private final int writes;
  private final boolean vcpuMap;
  private int page = -1;
  private boolean again;
  private long mmuSeq;
  private int pfn;
  private int folio;
  private long gen;
  private boolean stale;
  private int written;
  /** 0, or -EFAULT when there was no page to map. */
  public int result;

  /**
   * @param mm the VMM's mm component; memslot page i is its VMA page i
   * @param pages VMA pages the guest may fault on; one is picked at the first start with the
   *     thread's generator
   */
  public KvmTryGetPfnPath(TryGetPfnVariant variant, Topology topo, int mm, KvmBinding b, int pages, int writes) {
    this(variant, topo, mm, b, pages, writes, false);
  }

  /**
   * @param vcpuMap instead of a fault, kvm_vcpu_map(): the same pfn lookup, then KVM itself writes
   *     the page through kmap_local_page() while it holds the reference (no EPT, no mmu_notifier
   *     protection: the reference is what keeps the page), then kvm_vcpu_unmap() puts it
   */
  public KvmTryGetPfnPath(TryGetPfnVariant variant, Topology topo, int mm, KvmBinding b, int pages, int writes, boolean vcpuMap) {
    this.vcpuMap = vcpuMap;
    this.variant = variant;
    this.topo = topo;
    this.mm = mm;
    this.b = b;
    this.pages = pages;
    this.writes = writes;
  }

  @Override
  public String name() {
    return vcpuMap ? "kvm_vcpu_map (hva_to_pfn_fast)" : "kvm_tdp_page_fault (hva_to_pfn_fast)";
  }

  private long gfn() {
    return b.gfn(page);
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    return request(ctx, next, b.kvm(), r);
  }

  private boolean mem(Ctx ctx, Pc next, int f, MemoryProtocol.Request r) {
    return request(ctx, next, topo.memoryFor(f), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    if (page < 0) page = ctx.rng().nextInt(pages);
    boolean retry = again;
    again = true;
    stale = false;
    written = 0;
    result = 0;
    return kvm(ctx, Pc.SEQ, new KvmProtocol.ReadMmuInvalidateSeq(retry));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case SEQ -> {
        mmuSeq = r.value();
        return request(ctx, Pc.READ_PTE, mm, new UserMmProtocol.GupFastReadPte(page));
      }
      case READ_PTE -> {
        if (r.value() == UserMm.PTE_MIGRATION) {
          if (ctx.tracing()) ctx.note("gup-fast fails; the slow path waits in migration_entry_wait(), the fault goes round again");
          return begin(ctx);
        }
        if (r.value() < 0) {
          // The VMA is gone (munmap): the slow path finds no VMA and the fault fails.
          result = Errno.EFAULT;
          return finishAt(Pc.DONE);
        }
        pfn = (int) r.value();
        if (variant == TryGetPfnVariant.GET_PAGE_UNLESS_ZERO) {
          return mem(ctx, Pc.GET_PAGE_UNLESS_ZERO, pfn, new MemoryProtocol.GetPageUnlessZero(pfn));
        }
        return mem(ctx, Pc.PAGE_FOLIO, pfn, new MemoryProtocol.PageFolio(pfn));
      }
      case GET_PAGE_UNLESS_ZERO -> {
        if (r.value() == 0) {
          if (ctx.tracing()) ctx.note("a tail page's own count is 0: the fault returns " + Errno.name(Errno.EFAULT));
          result = Errno.EFAULT;
          return finishAt(Pc.DONE);
        }
        folio = pfn;
        gen = r.ghost();
        return request(ctx, Pc.PTE_RECHECK, mm, new UserMmProtocol.GupFastReadPte(page));
      }
      case PAGE_FOLIO -> {
        folio = (int) r.value();
        return mem(ctx, Pc.FOLIO_TRY_GET, folio, new MemoryProtocol.FolioTryGet(folio, 1));
      }
      case FOLIO_TRY_GET -> {
        if (r.value() == 0) {
          if (ctx.tracing()) ctx.note("gup-fast fails (frozen or free); the fault goes round again");
          return begin(ctx);
        }
        gen = r.ghost();
        if (variant == TryGetPfnVariant.FOLIO_TRY_GET) {
          return request(ctx, Pc.PTE_RECHECK, mm, new UserMmProtocol.GupFastReadPte(page));
        }
        return mem(ctx, Pc.PAGE_FOLIO_RECHECK, pfn, new MemoryProtocol.PageFolio(pfn));
      }
      case PAGE_FOLIO_RECHECK -> {
        boolean same = r.value() == folio;
        ctx.outcome("try_get_folio: page_folio() re-check", same ? "same folio" : "folio changed: put, retry", RECHECK_OUTCOMES);
        if (same) return request(ctx, Pc.PTE_RECHECK, mm, new UserMmProtocol.GupFastReadPte(page));
        if (ctx.tracing()) ctx.note("page_folio changed " + hex(folio) + " -> " + hex(r.value()) + ": put, retry");
        return mem(ctx, Pc.FOLIO_PUT_RETRY, folio, new MemoryProtocol.FolioPut(folio, 1));
      }
      case FOLIO_PUT_RETRY -> {
        return mem(ctx, Pc.PAGE_FOLIO, pfn, new MemoryProtocol.PageFolio(pfn));
      }
      case PTE_RECHECK -> {
        if (r.value() == pfn && vcpuMap) {
          // kvm_vcpu_map(): kmap_local_page(page), and KVM writes it under its reference.
          return mem(ctx, Pc.VCPU_MAP_WRITE, pfn,
              new MemoryProtocol.PageWrite(pfn, folio, gen, PageTag.guestPrivate(b.vm()), "kvm_vcpu_map"));
        }
        if (r.value() == pfn) return kvm(ctx, Pc.MMU_LOCK, new KvmProtocol.MmuLock(false));
        if (ctx.tracing()) ctx.note("the PTE changed: gup_put_folio(), gup-fast fails");
        return mem(ctx, Pc.GUP_PUT, folio, new MemoryProtocol.FolioPut(folio, 1));
      }
      case GUP_PUT -> {
        return begin(ctx);
      }
      case VCPU_MAP_WRITE -> {
        if (++written < writes) {
          return mem(ctx, Pc.VCPU_MAP_WRITE, pfn,
              new MemoryProtocol.PageWrite(pfn, folio, gen, PageTag.guestPrivate(b.vm()), "kvm_vcpu_map"));
        }
        // kvm_vcpu_unmap() -> kvm_release_page_dirty(): put_page(page).
        return release(ctx);
      }
      case MMU_LOCK -> {
        return kvm(ctx, Pc.RETRY_CHECK, new KvmProtocol.MmuInvalidateRetryGfn(gfn(), mmuSeq, false));
      }
      case RETRY_CHECK -> {
        if (r.value() != 0) {
          stale = true;
          return release(ctx);
        }
        return kvm(ctx, Pc.MAP, new KvmProtocol.TdpMmuMap(gfn(), pfn, gen, 0, false, false));
      }
      case MAP -> {
        return release(ctx);
      }
      case RELEASE_PAGE_FOLIO -> {
        int f = (int) r.value();
        return mem(ctx, Pc.RELEASE_PUT, f, new MemoryProtocol.FolioPut(f, 1));
      }
      case RELEASE_PUT -> {
        if (vcpuMap) return finishAt(Pc.DONE);
        return kvm(ctx, Pc.MMU_UNLOCK, new KvmProtocol.MmuUnlock(false));
      }
      case MMU_UNLOCK -> {
        if (stale) return begin(ctx);
        written = 0;
        return kvm(ctx, Pc.EPT_WALK, new KvmProtocol.EptWalk(gfn(), false));
      }
      case EPT_WALK -> {
        if (r.value() < 0) {
          // Invalidated since: the guest faults again on its next access (not modelled).
          return finishAt(Pc.DONE);
        }
        written++;
        int p = (int) r.value();
        return mem(ctx, Pc.GUEST_WRITE, p,
            new MemoryProtocol.GuestAccess(p, r.ghost(), true, PageTag.guestPrivate(b.vm()), b.vm(), gfn(), 0, -1));
      }
      case GUEST_WRITE -> {
        if (written < writes) return kvm(ctx, Pc.EPT_WALK, new KvmProtocol.EptWalk(gfn(), false));
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  /** kvm_release_faultin_page(): put_page(page), i.e. folio_put(page_folio(page)) at put time. */
  private boolean release(Ctx ctx) {
    return mem(ctx, Pc.RELEASE_PAGE_FOLIO, pfn, new MemoryProtocol.PageFolio(pfn));
  }

  // No interruptible() override: gup_fast() runs with local IRQs disabled, which on bare metal
  // also holds off the split's TLB-flush IPI. The window is open where that IPI is not waited for:
  // a vCPU preempted by its host (a PV TLB flush skips it), or broadcast invalidation (arm64
  // TLBI, x86 INVLPGB). A preemption the Akka runtime injects here stands for the former.

  /** The guest's store is one instruction: its EPT walk and its access. */
  @Override
  public boolean inInstruction() {
    return pc == Pc.EPT_WALK || pc == Pc.GUEST_WRITE;
  }

  @Override
  public boolean replyEndsInstruction(Ret r) {
    return pc != Pc.EPT_WALK || r.value() < 0;
  }

  @Override
  protected String here() {
    return pc + (page < 0 ? "" : " gfn " + hex(gfn())) + (pfn == 0 ? "" : " pfn " + hex(pfn));
  }
}
