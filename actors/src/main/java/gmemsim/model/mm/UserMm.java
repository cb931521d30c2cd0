package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.lock.RwSem;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.Arrays;

/**
 * The VMM process's mm as far as the anonymous memory behind its guest RAM goes: one PTE per 4 KiB
 * page of one VMA (present, a migration entry, or none) and the anon_vma lock of that VMA. The
 * struct pages the PTEs point at, with their mapcounts and references, belong to the memory
 * components; a kernel path that changes both sends one step to each, in the kernel's order.
 *
 * <p>Each request that writes PTEs models one page-table lock section; readers that take no lock
 * (gup-fast) read one PTE at a time, so they cannot tell one section from the kernel's per-PTE
 * writes inside it.
 */
public final class UserMm implements Component {
  /** pte_none(). */
  public static final long PTE_NONE = -1;
  /** A migration entry: gup-fast fails on it and the slow path waits for the split to finish. */
  public static final long PTE_MIGRATION = -2;

  private final String name;
  private final int[] pfn;
  private final byte[] state;
  private final RwSem anonVmaLock;
  private static final byte NONE = 0;
  private static final byte PRESENT = 1;
  private static final byte MIGRATION = 2;

  /** @param pfns the pfn each page of the VMA maps at boot (every page present) */
  public UserMm(String name, int[] pfns) {
    this.name = name;
    this.pfn = pfns.clone();
    this.state = new byte[pfns.length];
    Arrays.fill(state, PRESENT);
    this.anonVmaLock = new RwSem(name + " anon_vma rwsem");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (!(m instanceof UserMmProtocol.Request r)) {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
    r.applyTo(this, ctx);
  }

  /** The PTE of page i as gup-fast reads it: a pfn, PTE_NONE or PTE_MIGRATION (tests too). */
  public long pte(int page) {
    return switch (state[page]) {
      case PRESENT -> pfn[page];
      case MIGRATION -> PTE_MIGRATION;
      default -> PTE_NONE;
    };
  }

  @Override
  public java.util.List<String> ghost(java.util.Set<Integer> pfns, java.util.function.IntFunction<String> names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < pfn.length; i++) {
      if (pfns.contains(pfn[i])) {
        out.add(name + " PTE of page " + i + " -> " + hex(pfn[i])
            + (state[i] == PRESENT ? " present" : state[i] == MIGRATION ? " (migration entry)" : " (none)"));
      }
    }
    return out;
  }

  void gupFastReadPte(UserMmProtocol.GupFastReadPte r, Ctx ctx) {
    long v = pte(r.page());
    if (ctx.tracing()) ctx.note(v >= 0 ? "pfn " + hex(v) : v == PTE_MIGRATION ? "migration entry" : "none");
    ctx.reply(Ret.of(v));
  }

  void setMigrationEntries(UserMmProtocol.SetMigrationEntries r, Ctx ctx) {
    int n = 0;
    for (int i = r.first(); i < r.first() + r.nr(); i++) {
      if (state[i] == PRESENT) {
        state[i] = MIGRATION;
        n++;
      }
    }
    if (ctx.tracing()) ctx.note(n + " PTEs now migration entries");
    ctx.reply(Ret.of(n));
  }

  void restoreMigrationPtes(UserMmProtocol.RemoveMigrationPtes r, Ctx ctx) {
    int n = 0;
    for (int i = r.first(); i < r.first() + r.nr(); i++) {
      if (state[i] == MIGRATION) {
        state[i] = PRESENT;
        n++;
      }
    }
    if (ctx.tracing()) ctx.note(n + " PTEs present again, same pfns");
    ctx.reply(Ret.of(n));
  }

  void zapPteRange(UserMmProtocol.ZapPteRange r, Ctx ctx) {
    int n = 0;
    for (int i = r.first(); i < r.first() + r.nr(); i++) {
      if (state[i] != NONE) {
        state[i] = NONE;
        n++;
      }
    }
    if (ctx.tracing()) ctx.note(n + " PTEs cleared");
    ctx.reply(Ret.of(n));
  }

  void anonVmaLock(UserMmProtocol.AnonVmaLock r, Ctx ctx) {
    if (r.lock()) anonVmaLock.acquire(true, ctx);
    else anonVmaLock.release(true, ctx);
  }
}
