package gmemsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
  private final ScenarioLoader loader =
      new ScenarioLoader(Set.of("wrong-folio-ref", "use-after-free", "refcount-error", "deadlock"));

  @TempDir Path dir;

  private Path file(String text) throws IOException {
    Path f = dir.resolve("s.conf");
    Files.writeString(f, text);
    return f;
  }

  private String error(Path f, String... sets) {
    return assertThrows(ScenarioException.class, () -> loader.load(f, List.of(sets))).getMessage();
  }

  @Test
  void everyKeyHasADefaultAndADescription() {
    Scenario s = loader.fromEffective(java.util.Map.of(), "defaults");
    for (Knob k : Knobs.all().values()) {
      assertTrue(s.effective().containsKey(k.key()), k.key());
      assertTrue(!k.description().isBlank(), k.key());
    }
    assertEquals("folio-try-get-recheck", s.string(Knobs.KVM_TRY_GET_PFN));
    assertEquals(16L << 20, s.bytes(Knobs.MEMORY));
  }

  @Test
  void aMisspeltKeyNamesFileLineKeyAndTheClosestKnownKey() throws IOException {
    Path f = file("folio.order = 9\nkvm {\n  try-get-pfm = folio-try-get\n}\n");
    String m = error(f);
    assertTrue(m.startsWith(f + ":3: "), m);
    assertTrue(m.contains("'kvm.try-get-pfm'"), m);
    assertTrue(m.contains("did you mean 'kvm.try-get-pfn'"), m);
  }

  @Test
  void badValuesNameTheirKeyAndLine() throws IOException {
    assertTrue(error(file("\n\nfolio.order = nine\n")).contains(":3: folio.order"));
    assertTrue(error(file("folio.order = 11\n")).contains("outside [0, 10]"));
    String e = error(file("kvm.try-get-pfn = folio-tryget\n"));
    assertTrue(e.contains(":1: kvm.try-get-pfn") && e.contains("did you mean 'folio-try-get'"), e);
    assertTrue(error(file("run.budget = forever\n")).contains("not a budget"));
    String sub = error(file("folio.order = 9\n"), "machine.cpus=${GMEMSIM_NOPE_UNSET}");
    assertTrue(sub.startsWith("--set machine.cpus=${GMEMSIM_NOPE_UNSET}: ") && sub.contains("not set"), sub);
    String o = error(file("expect.violations = [wrong-folio-reff]\n"));
    assertTrue(o.contains("did you mean 'wrong-folio-ref'"), o);
    assertTrue(error(file("folio { order = [9 }\n")).contains(dir.resolve("s.conf") + ":1: "));
    String unclosed = error(file("folio {\n  order = 9\n"));
    assertTrue(unclosed.contains("a closing '}'") && !unclosed.contains("parenthes"), unclosed);
    String type = error(file("folio.order = nine\n"));
    assertTrue(type.endsWith(":1: folio.order: expected a whole number in [0, 10], got \"nine\""), type);
  }

  @Test
  void setOverridesAnyKeyAndIsCheckedLikeTheFile() throws IOException {
    Path f = file("kvm.try-get-pfn = folio-try-get\nexpect.violations = [wrong-folio-ref]\n");
    Scenario s = loader.load(f, List.of("kvm.try-get-pfn=folio-try-get-recheck", "expect.clean=true"));
    assertEquals("folio-try-get-recheck", s.string(Knobs.KVM_TRY_GET_PFN));
    assertTrue(s.bool(Knobs.EXPECT_CLEAN));
    String m = error(f, "kvm.try-get-pfnn=folio-try-get");
    assertTrue(m.startsWith("--set kvm.try-get-pfnn=folio-try-get: unknown key"), m);
    assertTrue(m.contains("'kvm.try-get-pfn'"), m);
    assertTrue(error(f, "nonsense").contains("expected key=value"));
  }

  @Test
  void effectiveKnobsRoundTripThroughAReplayFile() throws IOException {
    Scenario s = loader.load(file("folio.count = 3\nrun.budget = 5000runs\n"), List.of());
    Scenario back = loader.fromEffective(s.effective(), "replay.json");
    assertEquals(s.effective(), back.effective());
    assertEquals("s", s.name(), "the name defaults to the file name");
  }

  @Test
  void budgetsParse() {
    assertEquals(30_000, Budget.parse("30s").millis());
    assertEquals(5000, Budget.parse("5000runs").runs());
    assertEquals(120_000, Budget.parse("2m").millis());
    assertThrows(IllegalArgumentException.class, () -> Budget.parse("0s"));
  }
}
