package dev.groundwork.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.data.LabelException;
import dev.groundwork.core.data.NonFiniteInputException;
import dev.groundwork.core.model.NonFiniteLossException;
import dev.groundwork.core.train.ResumeMismatchException;
import dev.groundwork.core.weights.ChecksumMismatchException;
import dev.groundwork.core.weights.WeightsMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Exception messages point at sections of docs/troubleshooting.md: every anchor referenced from
 * any module's code is a heading of the page, and the common exceptions end with their pointer.
 */
class TroubleshootingLinksTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path PAGE = ROOT.resolve("docs/troubleshooting.md");
  private static final Pattern LINK = Pattern.compile("troubleshooting\\.md#([A-Za-z0-9_-]+)");

  /** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  static Set<String> anchors() throws IOException {
    return Files.readAllLines(PAGE).stream().filter(l -> l.matches("#{1,6} .*"))
        .map(l -> slug(l.replaceFirst("#+ ", ""))).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyAnchorReferencedFromCodeIsAHeadingOfThePage() throws IOException {
    Set<String> anchors = anchors();
    Set<String> referenced = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> s = Files.walk(ROOT, 12)) {
      sources = s.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/")).toList();
    }
    assertThat(sources).hasSizeGreaterThan(100);
    for (Path p : sources) {
      Matcher m = LINK.matcher(Files.readString(p));
      while (m.find()) {
        assertThat(anchors).as("%s links troubleshooting.md#%s", ROOT.relativize(p), m.group(1))
            .contains(m.group(1));
        referenced.add(m.group(1));
      }
    }
    assertThat(referenced).contains("file-formats", "weights-mismatch", "resume-mismatch",
        "non-finite-loss", "backend-not-found", "invalid-parameter", "onnx-models");
    // the page's own links to its sections resolve too
    Matcher own = Pattern.compile("\\]\\(#([A-Za-z0-9_-]+)\\)").matcher(Files.readString(PAGE));
    while (own.find()) {
      assertThat(anchors).contains(own.group(1));
    }
  }

  @Test
  void theCommonExceptionsEndWithTheirPointer() {
    List<GroundworkException> errors = List.of(
        new DataFormatException("bad magic number", "f.idx"),
        new DataNotFoundException("no such file", "f.idx", null),
        new LabelException("label 12", "f.csv", 3),
        new NonFiniteInputException("NaN", "f.csv", List.of("a")),
        new WeightsMismatchException("other shapes", "w.safetensors"),
        new ChecksumMismatchException("other hash", "w.safetensors"),
        new ResumeMismatchException("other data", "last.safetensors"),
        new NonFiniteLossException("loss NaN", List.of("a")),
        new BackendNotFoundException("no backend"),
        new InvalidParameterException("epochs must be ≥ 1, got 0"));
    for (GroundworkException e : errors) {
      String help = e.troubleshooting().orElseThrow();
      assertThat(e.getMessage()).endsWith(" — see " + help);
    }
    assertThat(errors.get(4).getMessage()).isEqualTo(
        "other shapes — see docs/troubleshooting.md#weights-mismatch");
    // a message that already ends with the pointer keeps one
    assertThat(new InvalidParameterException("x — see " + InvalidParameterException.HELP)
        .getMessage()).isEqualTo("x — see docs/troubleshooting.md#invalid-parameter");
    assertThat(new GroundworkException("plain").getMessage()).isEqualTo("plain");
  }
}
