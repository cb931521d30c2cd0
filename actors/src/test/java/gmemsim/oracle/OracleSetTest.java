package gmemsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gmemsim.model.Event;
import gmemsim.model.mm.MmEvents.PageAccess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An event reaches exactly the oracles that declare its type, a supertype standing for its subtypes. */
class OracleSetTest {
  private interface Family extends Event {}

  private record Child(int n) implements Family {}

  private record Other(int n) implements Event {}

  private static Oracle reading(String name, List<String> seen, List<Class<? extends Event>> types) {
    return new Oracle() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Class<? extends Event>> reads() {
        return types;
      }

      @Override
      public void onEvent(Event e, Sink sink) {
        seen.add(name + " " + e);
      }
    };
  }

  @Test
  void eachEventGoesOnlyToTheOraclesThatReadItsType() {
    List<String> seen = new ArrayList<>();
    List<Oracle> os = List.of(
        reading("family", seen, List.of(Family.class)),
        reading("other", seen, List.of(Other.class)),
        reading("both", seen, List.of(Child.class, Other.class)));
    OracleSet set = new OracleSet(os.toArray(Oracle[]::new), OracleSet.routes(os));
    Oracle.Sink none = (o, m, a, ob) -> {};
    set.emit(new Child(1), none);
    set.emit(new Other(2), none);
    assertEquals(List.of("family Child[n=1]", "both Child[n=1]", "other Other[n=2]", "both Other[n=2]"), seen);
  }

  @Test
  void aPageAccessReachesBothOraclesOfAPageAccessAndNoOther() {
    List<String> reached = new ArrayList<>();
    for (Oracle o : Oracles.create().oracles()) {
      assertFalse(o.reads().isEmpty(), o.name() + " reads no event");
      if (o.reads().stream().anyMatch(c -> c.isAssignableFrom(PageAccess.class))) reached.add(o.name());
    }
    assertEquals(List.of(WrongFolioRefOracle.NAME, UseAfterFreeOracle.NAME).stream().sorted().toList(),
        reached.stream().sorted().toList());
  }
}
