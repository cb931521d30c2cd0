package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;

import gmemsim.scenario.program.OpArgs;
import java.util.List;
import java.util.function.BiFunction;

/** An operation given as its spec and a function from its arguments to its kernel paths. */
record SimpleOp(OpSpec spec, BiFunction<OpArgs, ActorCtx, List<SourcePath>> builder) implements Op {
  @Override
  public List<SourcePath> build(OpArgs args, ActorCtx actor) {
    return builder.apply(args, actor);
  }
}
