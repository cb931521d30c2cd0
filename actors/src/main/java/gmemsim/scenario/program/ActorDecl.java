package gmemsim.scenario.program;

import java.util.List;

/**
 * One actor a scenario declares: its name (the lane name in traces and reports), its kind (what
 * it is on the machine: the VMM process, a vCPU, a host kernel context) and its program.
 *
 * @param at "file:line" of the declaration
 */
public record ActorDecl(String name, String kind, List<OpCall> program, String at) {
  public ActorDecl {
    program = List.copyOf(program);
  }

  /** One declaration is one actor: maps key by identity (a program may hold a million calls to hash). */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  public String where(String key) {
    return at + ": actors[" + name + "]" + (key == null ? "" : "." + key);
  }
}
