package gmemsim.model.program;

import java.util.List;

/**
 * What an operation is: its name in a program, which actor kinds may run it, its arguments, the
 * results it can return (empty: it returns nothing a program can check) and the upstream code it
 * models.
 */
public record OpSpec(
    String name, Domain domain, List<Param> params, List<String> results, String upstream, String description) {
  public OpSpec {
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  public List<String> paramNames() {
    List<String> out = new java.util.ArrayList<>(params.stream().map(Param::name).toList());
    out.add("repeat");
    if (!results.isEmpty()) out.add("expect");
    return out;
  }
}
