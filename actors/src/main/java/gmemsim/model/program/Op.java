package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;

import gmemsim.scenario.program.OpArgs;
import java.util.List;

/** One operation a program may hold: its spec, and how one written call of it becomes kernel paths. */
public interface Op {
  OpSpec spec();

  /**
   * The kernel paths of one call with these arguments (checked here: an impossible argument is a
   * scenario error naming the file, line and argument; one the kernel refuses is a result).
   */
  List<SourcePath> build(OpArgs args, ActorCtx actor);
}
