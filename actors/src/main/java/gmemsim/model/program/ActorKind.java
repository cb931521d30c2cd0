package gmemsim.model.program;

import gmemsim.model.Component;
import gmemsim.model.exec.SourcePath;
import java.util.List;
import java.util.Set;

/**
 * What an actor is on the machine: which operations its program may hold and which component
 * runs them. One class per kind, found by name in {@link ActorKinds}.
 */
public interface ActorKind {
  String name();

  String description();

  Set<Domain> domains();

  /** Whether the actor runs on a CPU of its own (a TLB that flush IPIs reach). */
  boolean hasCpu();

  /** Whether the actor is a vCPU thread (its CPU gets KVM's remote TLB flushes, a guest TLB). */
  default boolean vcpu() {
    return false;
  }

  Component component(ActorCtx actor, List<SourcePath> program);
}
