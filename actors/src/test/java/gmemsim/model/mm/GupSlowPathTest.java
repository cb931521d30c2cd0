package gmemsim.model.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gmemsim.lang.Compiler;
import gmemsim.lang.SourceFile;
import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.model.Topology;
import gmemsim.model.exec.KernelEnv;
import gmemsim.model.exec.KernelExterns;
import gmemsim.model.exec.KernelSources;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.prim.Handles;
import gmemsim.model.thread.HostThread;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.RandomStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.controlled.ControlledRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * get_user_pages_fast() of one page of the VMM's anonymous memory (kernel/mm/gup.c): a present
 * PTE is pinned by GUP-fast with no lock; no PTE sends it down the slow path, which takes
 * mmap_lock for read and faults the zero page in, and a second GUP of that page takes the slow
 * path again (the zero page's PTE is special). munmap() of the buffer ends each run.
 */
class GupSlowPathTest {
  private static final gmemsim.lang.Program GUP = Compiler.compile(List.of(
      new Compiler.Layer("built in", KernelSources.get().builtIn()),
      new Compiler.Layer("test", List.of(new SourceFile("test.c", SourceFile.Origin.BUILT_IN,
          "int gup_and_put(struct mm_struct *mm, unsigned long index)\n{\n\tstruct page *page;\n\tint ret;\n\n"
              + "\tret = get_user_pages_fast(mm, index, 1, 0, &page);\n\tif (ret == 1)\n\t\tput_page(page);\n\treturn ret;\n}\n\n"
              + "void unmap_buffer(struct mm_struct *mm)\n{\n\tvm_munmap(mm, 0, 2);\n}\n")))),
      KernelExterns.INSTANCE);

  private record Run(RunResult result, UserMm mm, Memory mem, int zero, int written, SourcePath path, List<String> steps) {}

  /** page 0 of the buffer written (present), page 1 untouched; GUP of {@code index}, twice when {@code twice} */
  private static Run gup(int index, boolean twice) {
    Memory mem = new Memory("mem0", MachineBuilder.BASE_PFN, 1024, 0);
    int zero = mem.allocator().allocPages(0, "zero page");
    mem.pages().bootReserve(zero);
    int written = mem.allocator().allocPages(0, "mm0");
    mem.pages().bootMapNewAnon(written);
    UserMm mm = new UserMm("mm0", new int[0], new int[] {written, -1});
    Topology topo = new Topology(MachineBuilder.BASE_PFN, 1024, new int[] {0});
    List<Component> comps = new ArrayList<>(List.of(mem, mm));
    KernelEnv env = new KernelEnv(GUP, topo, comps);
    env.field(1, "mm_struct", "mmu_notifier_kvm", 0);
    env.field(1, "mm_struct", "zero_pfn", zero);
    List<SourcePath> paths = new ArrayList<>();
    SourcePath first = new SourcePath(env, "gup_and_put", Handles.of(1), index);
    paths.add(first);
    if (twice) paths.add(new SourcePath(env, "gup_and_put", Handles.of(1), index));
    paths.add(new SourcePath(env, "unmap_buffer", Handles.of(1)));
    comps.add(new HostThread("vmm", paths));
    List<String> steps = new ArrayList<>();
    gmemsim.runtime.DeliveryListener log = new gmemsim.runtime.DeliveryListener() {
      @Override
      public void onDelivery(long step, gmemsim.runtime.Envelope e, List<String> notes, List<gmemsim.oracle.Violation> fired) {
        steps.add(String.valueOf(e.msg().step()));
      }

      @Override
      public void onEnd(long n, List<gmemsim.oracle.Violation> fired) {}
    };
    RunResult r = new ControlledRun(new Machine(comps, topo), 1, Oracles.create(), log).execute(new RandomStrategy(), 10_000);
    return new Run(r, mm, mem, zero, written, first, steps);
  }

  @Test
  void aPresentPteIsPinnedWithoutMmapLock() {
    Run r = gup(0, false);
    assertEquals(1, r.path().intResult());
    assertEquals(List.of(), r.result().violations());
    assertEquals(false, r.steps().stream().anyMatch(s -> s.contains("down_read")), r.steps().toString());
    // the pin and its put balance: the munmap()'s put of the mapping's reference frees the page
    assertEquals(true, r.mem().pages().isFree(r.written()));
  }

  @Test
  void noPteTakesTheSlowPathUnderMmapLockAndMapsTheZeroPage() {
    Run r = gup(1, true);
    assertEquals(1, r.path().intResult());
    assertEquals(List.of(), r.result().violations());
    // the zap skipped the zero page's PTE: no rmap, no put, and the zero page never freed
    assertEquals(UserMm.PTE_NONE, r.mm().pte(1));
    assertEquals(false, r.mem().pages().isFree(r.zero()));
    // both GUPs go down the slow path: the first finds no PTE, the second the zero page's
    assertEquals(2, r.steps().stream().filter(s -> s.contains("down_read")).count(), r.steps().toString());
    assertEquals(1, r.steps().stream().filter(s -> s.contains("set_pte_at_none")).count(), r.steps().toString());
  }
}
