package gmemsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --junit-xml}: read back with the parser Maven uses for its own test reports. One case
 * per scenario run; the case fails exactly when the outcome differs from the scenario's expect.
 */
class JunitXmlTest {
  @TempDir Path dir;

  @Test
  void oneCasePerScenarioRunFailingOnlyOnAMismatch() throws Exception {
    Path xml = dir.resolve("junit.xml");
    PrintStream old = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    int rc;
    try {
      // split-vs-tryget expects refcount-error, which 20 runs are far too few to find (pct
      // needs ~2,000 on seed 1): a mismatch. direct-map-per-folio expects clean: a match. Without
      // split-vs-tryget's expect.windows, the mismatch is the missing violation, not the window.
      rc =
          Main.execute(
              "run", "../scenarios/split-vs-tryget.conf", "../scenarios/direct-map-per-folio.conf",
              "--seed", "1", "--budget", "20runs", "--quiet", "--out", dir.resolve("out").toString(),
              "--junit-xml", xml.toString(), "--set", "expect.windows=[]");
    } finally {
      System.setOut(old);
    }
    assertEquals(1, rc, "one scenario did not match its expect");

    TestSuiteXmlParser parser = new TestSuiteXmlParser(new NullConsoleLogger());
    List<ReportTestSuite> suites = parser.parse(xml.toString());
    assertTrue(parser.isValid(), "the parser rejected the file");
    assertEquals(1, suites.size());
    ReportTestSuite suite = suites.get(0);
    assertEquals(2, suite.getNumberOfTests());
    assertEquals(1, suite.getNumberOfFailures());
    assertEquals(0, suite.getNumberOfErrors());
    Map<String, ReportTestCase> cases =
        suite.getTestCases().stream().collect(Collectors.toMap(ReportTestCase::getName, Function.identity()));
    ReportTestCase split = cases.get("split-vs-tryget");
    assertTrue(split.hasFailure());
    assertTrue(split.getFailureMessage().contains("refcount-error"), split.getFailureMessage());
    assertEquals("gmemsim.controlled", split.getFullClassName());
    ReportTestCase perFolio = cases.get("direct-map-per-folio");
    assertTrue(perFolio.isSuccessful());
    assertFalse(perFolio.hasError());
  }
}
