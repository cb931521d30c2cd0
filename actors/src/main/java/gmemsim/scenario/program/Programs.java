package gmemsim.scenario.program;

import java.util.List;

/**
 * The {@code actors} list of a scenario: the declarations, and the list as plain values so that a
 * replay file can record it and build the same machine again.
 */
public record Programs(List<ActorDecl> actors, Object plain) {
  public static final Programs NONE = new Programs(List.of(), List.of());

  public Programs {
    actors = List.copyOf(actors);
  }

  public boolean declared() {
    return !actors.isEmpty();
  }
}
