package gmemsim.model;

/**
 * Mixins that name the objects a message's step touches (for race-window coverage, issue 14): a
 * record with a {@code gfn}, {@code pfn}, {@code folio} or {@code start}/{@code end} component
 * gets its accessor as the object by implementing the matching interface.
 */
public final class StepObjects {
  private StepObjects() {}

  /** The step touches one gfn. */
  public interface OnGfn extends Msg {
    long gfn();

    @Override
    default long objectStart() {
      return gfn();
    }
  }

  /** The step touches the gfns [start, end). */
  public interface OnGfnRange extends Msg {
    long start();

    long end();

    @Override
    default long objectStart() {
      return start();
    }

    @Override
    default long objectEnd() {
      return end();
    }
  }

  /** The step touches one page frame. */
  public interface OnPfn extends Msg {
    int pfn();

    @Override
    default long objectStart() {
      return pfn();
    }
  }

  /** The step touches a folio, named by its head frame. */
  public interface OnFolio extends Msg {
    int folio();

    @Override
    default long objectStart() {
      return folio();
    }
  }

  /** A reply that is a yes/no decision: nonzero is {@link #yes}, zero {@link #no}. */
  public interface Decision extends Msg {
    String yes();

    String no();

    @Override
    default String outcome(long value) {
      return value != 0 ? yes() : no();
    }

    @Override
    default java.util.List<String> outcomes() {
      return java.util.List.of(yes(), no());
    }
  }

  /** A try-get of a reference: nonzero is "got", zero "fail" (folio_try_get, get_page_unless_zero). */
  public interface TryGet extends Decision {
    @Override
    default String yes() {
      return "got";
    }

    @Override
    default String no() {
      return "fail";
    }
  }
}
