package gmemsim.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code --junit-xml}: the scenario runs of one command as a JUnit XML test suite (the
 * Ant/Surefire dialect Jenkins, GitLab and GitHub reporters read), one test case per scenario
 * run. A case fails when the outcome differs from the scenario's {@code expect}, and is an error
 * when the hunt itself broke (a lost node, a model exception), so CI shows which is which.
 */
public final class JunitXml {
  /**
   * @param name the scenario
   * @param classname groups cases in CI views: {@code gmemsim.<runtime>}
   * @param failure the outcome's reason when it does not match {@code expect}, else null
   * @param error what stopped the hunt, else null
   * @param out the summary the command printed for this run
   */
  public record Case(
      String name, String classname, double seconds, String failure, String error, String out) {}

  private JunitXml() {}

  public static void write(Path file, String suite, List<Case> cases) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    try (Writer w = Files.newBufferedWriter(abs, StandardCharsets.UTF_8)) {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", suite);
      x.writeAttribute("tests", String.valueOf(cases.size()));
      x.writeAttribute("failures", String.valueOf(cases.stream().filter(c -> c.failure() != null).count()));
      x.writeAttribute("errors", String.valueOf(cases.stream().filter(c -> c.error() != null).count()));
      x.writeAttribute("skipped", "0");
      x.writeAttribute("time", seconds(cases.stream().mapToDouble(Case::seconds).sum()));
      x.writeAttribute("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      for (Case c : cases) {
        x.writeCharacters("\n  ");
        x.writeStartElement("testcase");
        x.writeAttribute("name", c.name());
        x.writeAttribute("classname", c.classname());
        x.writeAttribute("time", seconds(c.seconds()));
        if (c.error() != null) problem(x, "error", c.error(), "HuntError");
        else if (c.failure() != null) problem(x, "failure", c.failure(), "OutcomeMismatch");
        x.writeStartElement("system-out");
        x.writeCData(c.out().replace("]]>", "]]]]><![CDATA[>"));
        x.writeEndElement();
        x.writeEndElement();
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void problem(XMLStreamWriter x, String kind, String message, String type)
      throws XMLStreamException {
    x.writeStartElement(kind);
    x.writeAttribute("message", message);
    x.writeAttribute("type", type);
    x.writeCharacters(message);
    x.writeEndElement();
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }
}
