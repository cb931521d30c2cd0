package gmemsim.lang;

import java.util.List;

/**
 * A name kernel source may call that is not a modelled function: a primitive (one atomic step on
 * the state owner that owns what it touches), a helper that touches no shared state, or a marker
 * ({@code local_irq_disable()}, {@code cond_resched()}). The compiler checks calls against it;
 * what a call does is the interpreter's business.
 *
 * @param params argument names, for messages and traces
 * @param outParam the index of an argument that receives a second result through a pointer ({@code
 *     &order}), or -1
 * @param noReturn the call never returns (the task dies)
 * @param variadic takes any number of arguments after {@code params} (format strings)
 */
public record Extern(int id, String name, List<String> params, Type ret, int outParam, boolean noReturn,
    boolean variadic) {
  public boolean returnsValue() {
    return !ret.isVoid();
  }
}
