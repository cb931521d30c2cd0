package gmemsim.model.thread;

import java.util.HashMap;
import java.util.Map;

/**
 * One task (a vCPU thread, the VMM process) as the paths it runs on its CPU share it: whether an
 * oops killed it (its later system calls never happen), and, for a vCPU, which page the guest
 * mapped at each file index. Local to the CPU component that runs the task.
 */
public final class Task {
  /** The page a guest mapped at an index, the folio (and its order) it believed pinned it, and its generation (ghost). */
  public record Mapped(int pfn, int folio, int order, long gen) {}

  private final String name;
  private boolean dead;
  private final Map<Integer, Mapped> mapped = new HashMap<>();

  public Task(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public boolean dead() {
    return dead;
  }

  /** An oops killed the task: it never returns to userspace. */
  public void kill() {
    dead = true;
  }

  /** The operations of this task's program that expect data, as written: a kernel path names one by its index. */
  private final java.util.List<String> sites = new java.util.ArrayList<>();

  /** Registers an operation as written (with its file and line); returns the index kernel source passes on. */
  public int site(String written) {
    sites.add(written);
    return sites.size() - 1;
  }

  public String site(int index) {
    return index >= 0 && index < sites.size() ? sites.get(index) : name + "'s program";
  }

  public void map(int index, Mapped m) {
    mapped.put(index, m);
  }

  public Mapped mapped(int index) {
    return mapped.get(index);
  }
}
