package gmemsim.model.program;

import java.util.Set;

/** What every actor kind states the same way: its name, what it is, and which operations it runs. */
abstract class BaseKind implements ActorKind {
  private final String name;
  private final String description;
  private final Set<Domain> domains;

  BaseKind(String name, String description, Set<Domain> domains) {
    this.name = name;
    this.description = description;
    this.domains = Set.copyOf(domains);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Set<Domain> domains() {
    return domains;
  }
}
