package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The build files agree: the BOM (which has no parent) carries the parent's version and engine
 * versions, and the examples module is never published.
 */
class BuildFilesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Element project(String pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document d = f.newDocumentBuilder().parse(ROOT.resolve(pom).toFile());
    return d.getDocumentElement();
  }

  /** The text of the first direct child named {@code name}, or null. */
  private static String child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c.getTextContent().trim();
      }
    }
    return null;
  }

  private static String property(Element project, String name) {
    for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals("properties")) {
        return child(c, name);
      }
    }
    return null;
  }

  @Test
  void theBomFollowsTheParentsVersionAndEngines() throws Exception {
    Element parent = project("pom.xml");
    Element bom = project("bom/pom.xml");
    String version = child(parent, "version");
    assertThat(child(bom, "version")).as("bom/pom.xml <version> must be the parent's")
        .isEqualTo(version);
    assertThat(property(bom, "groundwork.version")).isEqualTo("${project.version}");
    for (String engine : new String[] {"djl.version", "pytorch.version", "onnxruntime.version"}) {
      assertThat(property(bom, engine)).as("bom/pom.xml %s", engine)
          .isEqualTo(property(parent, engine));
    }
  }

  @Test
  void theExamplesAreNotPublished() throws Exception {
    Element examples = project("examples/pom.xml");
    for (String skip : new String[] {"maven.deploy.skip", "maven.install.skip",
        "maven.source.skip", "maven.javadoc.skip"}) {
      assertThat(property(examples, skip)).as("examples/pom.xml %s", skip).isEqualTo("true");
    }
  }

  /**
   * A user's {@code exec:java} run (the main job, the examples) must not rewrite the tracked
   * {@code docs/results}: the exec plugin's shared configuration sets no results directory, only
   * the benchmark execution does.
   */
  @Test
  void examplesWriteResultsFilesOnlyWhenAsked() throws Exception {
    Element examples = project("examples/pom.xml");
    Element exec = null;
    var plugins = examples.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element p = (Element) plugins.item(i);
      if ("exec-maven-plugin".equals(child(p, "artifactId"))) {
        exec = p;
      }
    }
    assertThat(exec).as("examples/pom.xml has the exec-maven-plugin").isNotNull();
    Element shared = null;
    for (Node n = exec.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals("configuration")) {
        shared = c;
      }
    }
    assertThat(shared).isNotNull();
    var keys = shared.getElementsByTagName("key");
    java.util.List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < keys.getLength(); i++) {
      names.add(keys.item(i).getTextContent().trim());
    }
    assertThat(names).as("system properties of exec:java").contains("ai.djl.offline")
        .doesNotContain("groundwork.results");
    var args = examples.getElementsByTagName("commandlineArgs");
    assertThat(args.getLength()).isEqualTo(1);
    assertThat(args.item(0).getTextContent()).as("the benchmarks write their results files")
        .contains("-Dgroundwork.results=${project.basedir}/../docs/results");
    assertThat(System.getProperty("groundwork.results")).as("tests run without it").isNull();
  }
}
