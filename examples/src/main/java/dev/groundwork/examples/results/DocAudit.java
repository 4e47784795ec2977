package dev.groundwork.examples.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists the figures in README.md, docs/*.md and docs/guide/*.md that look measured but carry no
 * marker, so that each can be marked from a results file or removed (see {@link DocFigures}).
 *
 * <p>A figure here is a number with a decimal point, a percentage, a ratio ({@code 1.5×}) or a
 * time, size or rate unit ({@code ms}, {@code s}, {@code MB}, {@code examples/s}, …). Not figures:
 * numbers followed by a marker, inside inline code or a link target, versions ({@code 2.7.1},
 * {@code Java 17}), and numbers inside fenced code blocks — a fenced block without a language
 * (printed output) that holds figures is listed once, unless a block marker precedes it. Plain
 * integers (counts, sizes of a set-up, parameters) are not listed: they are the settings of a run
 * more often than its outcome.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.results.DocAudit
 * </pre>
 */
public final class DocAudit {

  /** A number that looks measured: decimals, a percentage, a ratio, or a unit. */
  static final Pattern FIGURE = Pattern.compile("(?<![\\w.\\-/#:])[+\u2212-]?\\d[\\d,]*"
      + "(?:\\.\\d+)?(?:e-?\\d+)?(?:\\s?(?:%|×|x\\b|ms\\b|µs\\b|s\\b|MB\\b|GB\\b|KB\\b|"
      + "examples/s|images/s|ex/s|rows/s|items/s|points\\b|pp\\b))");

  private static final Pattern DECIMAL = Pattern.compile(
      "(?<![\\w.\\-/#:])[+\u2212-]?\\d+\\.\\d+(?![\\d.]*\\d\\.)(?:e-?\\d+)?");

  private static final Pattern VERSION = Pattern.compile(
      "\\d+\\.\\d+\\.\\d+|(?:Java|JDK|DJL|PyTorch|Runtime|ONNX|Spark|Maven|JUnit|Python|numpy"
      + "|pycocotools|Debian|opset|Scala|Tribuo|CUDA)\\s+\\d+(?:\\.\\d+)*", Pattern.CASE_INSENSITIVE);

  private DocAudit() {}

  /** Prints every unmarked figure under the repository root (or the first argument). */
  public static void main(String[] args) {
    Path root = args.length > 0 ? Path.of(args[0]) : DocFigures.repositoryRoot(Path.of(""));
    List<String> found = scan(root);
    found.forEach(System.out::println);
    System.out.println(found.size() + " unmarked figures");
  }

  /** Every unmarked figure, as {@code page:line: figure | the line}. */
  public static List<String> scan(Path root) {
    List<String> out = new ArrayList<>();
    for (Path page : DocFigures.documents(root)) {
      out.addAll(scan(root.relativize(page).toString(), read(page)));
    }
    return out;
  }

  /** The unmarked figures of one page. */
  static List<String> scan(String where, String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    boolean inFence = false;
    boolean outputBlock = false;
    boolean marked = false;
    boolean reported = false;
    int fenceLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("```")) {
        if (!inFence) {
          inFence = true;
          outputBlock = line.strip().equals("```");
          marked = i > 0 && DocFigures.BLOCK.matcher(lines[i - 1]).find();
          reported = false;
          fenceLine = i + 1;
        } else {
          inFence = false;
        }
        continue;
      }
      if (inFence) {
        if (outputBlock && !marked && !reported && (FIGURE.matcher(line).find()
            || DECIMAL.matcher(line).find())) {
          out.add(where + ":" + fenceLine + ": printed output without a block marker | "
              + line.strip());
          reported = true;
        }
        continue;
      }
      if (DocFigures.BLOCK.matcher(line).find()) {
        // a marked table follows: its figures come from the run
        while (i + 1 < lines.length && lines[i + 1].startsWith("|")) {
          i++;
        }
        continue;
      }
      String prose = mask(line);
      // one entry per line: its first unmarked figure
      lineScan:
      for (Pattern p : new Pattern[] {FIGURE, DECIMAL}) {
        Matcher m = p.matcher(prose);
        while (m.find()) {
          if (!markedAfter(prose, m.end())) {
            out.add(where + ":" + (i + 1) + ": " + m.group().strip() + " | " + line.strip());
            break lineScan;
          }
        }
      }
    }
    return out.stream().distinct().toList();
  }

  /** Whether a marker follows within 20 characters of unit and emphasis. */
  private static boolean markedAfter(String line, int end) {
    int marker = line.indexOf("<!--r:", end);
    return marker >= 0 && marker - end <= 20 && !line.substring(end, marker).matches(".*\\d.*");
  }

  /** The line with inline code, link targets and versions blanked out (same length). */
  static String mask(String line) {
    String s = blank(line, Pattern.compile("`[^`]*`"));
    s = blank(s, Pattern.compile("\\]\\([^)]*\\)"));
    s = blank(s, Pattern.compile("https?://\\S+"));
    return blank(s, VERSION);
  }

  private static String blank(String s, Pattern p) {
    Matcher m = p.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(" ".repeat(m.group().length())));
    }
    return m.appendTail(b).toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
