package gmemsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report.html of a split-vs-tryget violation in headless Chromium (Debian's package;
 * {@code .ci/install-chromium} installs it) and checks what a reviewer would see: the lanes of the
 * racing components, and the violating step marked and on screen. The page's script reports the
 * step it marked and whether it is on screen (dumped DOM); the screenshot must show the red of
 * the violating arrow.
 *
 * <p>Without a Chromium, and none installable, the test is skipped with the reason, unless
 * {@code GMEMSIM_REQUIRE_BROWSER=1} (CI sets it), where it fails.
 */
class ReportInBrowserTest {
  private static final String SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf").toString();
  private static String chromium;

  @TempDir Path dir;

  @BeforeAll
  static void findChromium() throws IOException, InterruptedException {
    chromium = locate();
    Path installer = Path.of("..", ".ci", "install-chromium");
    if (chromium == null && Files.isRegularFile(installer)) {
      Process p = new ProcessBuilder("bash", installer.toString()).inheritIO().start();
      if (p.waitFor(15, TimeUnit.MINUTES)) chromium = locate();
    }
    if (chromium == null) {
      String why = "no headless Chromium: install Debian's chromium (.ci/install-chromium) or set GMEMSIM_CHROMIUM";
      if ("1".equals(System.getenv("GMEMSIM_REQUIRE_BROWSER"))) fail(why);
      Assumptions.abort(why);
    }
  }

  private static String locate() {
    String env = System.getenv("GMEMSIM_CHROMIUM");
    if (env != null && Files.isExecutable(Path.of(env))) return env;
    for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String b : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
        Path p = Path.of(dirName, b);
        if (Files.isExecutable(p)) return p.toString();
      }
    }
    return null;
  }

  private String chromium(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--window-size=1400,1000", "--user-data-dir=" + dir.resolve("profile")));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("chromium.log");
    Process p =
        new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(dir.resolve("stdout").toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 120 s: " + cmd);
    }
    return Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
  }

  @Test
  void theViolatingStepIsMarkedAndOnScreenWithTheRacingLanes() throws Exception {
    Path o = dir.resolve("run");
    // The hunt stops at its first finding, before it counted the window split-vs-tryget names as
    // evidence (expect.windows): that evidence is not what this test is about.
    int rc =
        Main.execute(
            "run", SCENARIO, "--seed", "1", "--budget", "5000runs", "--stop-at-first", "--quiet", "--out", o.toString(),
            "--set", "expect.windows=[]");
    assertEquals(0, rc, "the hunt must find the race to report it");
    JsonNode w = new ObjectMapper().readTree(o.resolve("summary.json").toFile()).get("oracles").get("refcount-error");
    long step = w.get("firstStep").asLong();
    String actor = w.get("actors").get(0).asText();
    String url = o.resolve("report.html").toUri().toString();

    String dom = chromium("--dump-dom", url);
    Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
    assertTrue(body.find(), "no body in the dumped DOM");
    assertTrue(body.group(1).contains("data-focus-step=\"" + step + "\""), body.group(1));
    assertTrue(body.group(1).contains("data-focus-visible=\"true\""), body.group(1));
    assertTrue(dom.contains("class=\"step focus\" data-step=\"" + step + "\" id=\"focus-refcount-error-brief\""), "violating row not marked");
    for (String lane : List.of(actor, "owner0", "mem0")) {
      assertTrue(dom.contains("<th class=\"lane\">" + lane + "<br>"), "no lane for " + lane);
    }
    assertTrue(dom.contains("!! refcount-error: " + actor), "the violation's message is not under its step");
    // Issue 25: the source line that made each step stands beside it (the get of the patch under test).
    assertTrue(dom.contains("<span class=\"fn\">try_get_folio()</span> <code>patches/seed-004-folio-try-get.c:"), "no source line beside the steps");
    assertTrue(dom.contains("Ghost state right after step " + step), "no ghost state");
    // Issue 14: the coverage tables and the two pictures, inline, rendered by the browser.
    assertTrue(dom.contains("id=\"coverage-outcomes\"") && dom.contains("id=\"coverage-windows\""), "no coverage tables");
    assertTrue(dom.contains("<svg id=\"svg-windows\"") && dom.contains("<svg id=\"svg-hits\""), "no coverage pictures");

    Path png = dir.resolve("shot.png");
    chromium("--screenshot=" + png, url);
    BufferedImage img = ImageIO.read(png.toFile());
    int red = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 180 && g < 40 && b < 40) red++;
      }
    }
    // The violating arrow alone is 4 px by about 120 px: well over 300 pixels of marker red.
    assertTrue(red > 300, "the screenshot shows " + red + " marker-red pixels");
  }
}
