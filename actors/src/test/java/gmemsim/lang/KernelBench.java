package gmemsim.lang;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Event;
import gmemsim.model.Msg;
import gmemsim.model.Topology;
import gmemsim.model.exec.KernelEnv;
import gmemsim.model.exec.KernelExterns;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.mm.Memory;
import gmemsim.model.thread.HostThread;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Kernel source run by hand: one memory range and one thread, messages delivered in the order
 * sent (no runtime, no strategy), every step and ghost event recorded.
 */
final class KernelBench {
  static final int BASE = 0x100000;

  final Memory mem = new Memory("mem0", BASE, 1024, 0);
  final List<Component> comps = new ArrayList<>();
  final List<String> steps = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final KernelEnv env;
  SourcePath path;
  private Ctx lastCtx;

  KernelBench(String source) {
    Program p = Compiler.compile(List.of(new Compiler.Layer("test",
        List.of(new SourceFile("test.c", SourceFile.Origin.BUILT_IN, source)))), KernelExterns.INSTANCE);
    comps.add(mem);
    env = new KernelEnv(p, new Topology(BASE, 1024, new int[] {0}), comps);
    env.singleton(Memory.class, 0);
  }

  /** Runs entry(args) to its end on a thread; returns its result. */
  long run(String entry, long... args) {
    path = new SourcePath(env, entry, args);
    HostThread t = new HostThread("t0", List.of(path));
    comps.add(t);
    int self = comps.size() - 1;
    ArrayDeque<Object[]> q = new ArrayDeque<>();
    Ctx[] ctx = new Ctx[1];
    int[] cur = new int[2];
    ctx[0] = new Ctx() {
      final RandomGenerator rng = new SplittableRandom(1);

      @Override
      public int self() {
        return cur[0];
      }

      @Override
      public int sender() {
        return cur[1];
      }

      @Override
      public String name(int c) {
        return comps.get(c).name();
      }

      @Override
      public void send(int to, Msg m) {
        if (m instanceof gmemsim.model.prim.Step) steps.add(m.describe());
        q.add(new Object[] {cur[0], to, m});
      }

      @Override
      public RandomGenerator rng() {
        return rng;
      }

      @Override
      public void emit(Event e) {
        events.add(e);
      }

      @Override
      public boolean tracing() {
        return true;
      }

      @Override
      public void note(String change) {}
    };
    cur[0] = self;
    cur[1] = self;
    lastCtx = ctx[0];
    t.boot(ctx[0]);
    while (!q.isEmpty()) {
      Object[] m = q.poll();
      cur[0] = (int) m[1];
      cur[1] = (int) m[0];
      comps.get(cur[0]).onMessage((Msg) m[2], ctx[0]);
    }
    if (!t.finished()) throw new AssertionError("the thread did not finish: " + t.activity());
    return path.result();
  }

  /** The end of the run: every component's end-of-run checks, their events into {@link #events}. */
  void quiesce() {
    for (Component c : comps) c.onQuiescence(lastCtx);
  }
}
