package dev.groundwork.examples.results;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.core.data.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the figures in README.md and docs/ equal to the results files runs wrote: every figure
 * the docs quote from a run carries an invisible marker naming its source, written right after the
 * number and its unit, e.g. {@code **92.53 %**<!--r:fit-bench/test_accuracy_pct-->}.
 *
 * <p>{@link #main} rewrites each marked number from {@code docs/results/NAME.json}, keeping the
 * number's written form (decimals, thousands separators, a leading {@code +}); {@link #check}
 * lists every marker whose number differs, whose file or key is missing, and every results file
 * without its date, machine or versions. The test suite runs the check, so a figure cannot drift
 * from the run that produced it.
 *
 * <p>A printed output is marked as a whole: a line {@code <!--r:NAME/KEY:block-->} right before a
 * fenced code block (or a Markdown table) says that the block's body is the text the run recorded
 * as the note {@code KEY} of {@code NAME.json} (e.g. an overfit report, the main job's transcript
 * of one step). {@link #main} replaces the body; {@link #check} reports a body that differs.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.results.DocFigures
 * </pre>
 */
public final class DocFigures {

  /** The marker after a figure: {@code <!--r:NAME/KEY-->}. */
  static final Pattern MARKER = Pattern.compile("<!--r:([a-z0-9-]+)/([a-z0-9_]+)-->");

  /** The line before a printed output: {@code <!--r:NAME/KEY:block-->}. */
  static final Pattern BLOCK = Pattern.compile("<!--r:([a-z0-9-]+)/([a-z0-9_]+):block-->");

  /** A number as written, then at most 16 characters of unit and emphasis, then the marker. */
  private static final Pattern BEFORE = Pattern.compile(
      "([+\u2212-]?[0-9][0-9,]*(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?)([^0-9<>\\n]{0,16})$");

  private DocFigures() {}

  /** Rewrites the marked figures and blocks of README.md, docs/*.md and docs/guide/*.md. */
  public static void main(String[] args) {
    Path root = args.length > 0 ? Path.of(args[0]) : repositoryRoot(Path.of(""));
    Map<String, Map<String, Double>> results = load(root.resolve("docs/results"));
    Map<String, Map<String, String>> notes = loadNotes(root.resolve("docs/results"));
    for (Path doc : documents(root)) {
      String text = read(doc);
      List<String> problems = new ArrayList<>();
      String updated = render(text, results, notes, doc.toString(), problems);
      problems.forEach(p -> System.out.println("  " + p));
      if (!updated.equals(text)) {
        byte[] bytes = updated.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(doc, "documentation page", out -> out.write(bytes));
        System.out.println("updated " + root.relativize(doc));
      }
    }
  }

  /**
   * Every disagreement between the docs and the results files under {@code root}: a marked number
   * that differs from its file, a marker naming a missing file or key, a results file without its
   * provenance. Empty when all agree.
   */
  public static List<String> check(Path root) {
    Path dir = root.resolve("docs/results");
    Map<String, Map<String, Double>> results = load(dir);
    Map<String, Map<String, String>> notes = loadNotes(dir);
    List<String> problems = new ArrayList<>(provenanceProblems(dir));
    for (Path doc : documents(root)) {
      String text = read(doc);
      String where = root.relativize(doc).toString();
      String rendered = render(text, results, notes, where, problems);
      if (!rendered.equals(text)) {
        problems.addAll(differences(where, text, rendered));
      }
    }
    return problems;
  }

  /**
   * The lines where {@code text} and {@code rendered} differ: each differing line when both have
   * as many lines (marked numbers), else the first differing line and both line counts (a marked
   * block whose output grew or shrank).
   */
  static List<String> differences(String where, String text, String rendered) {
    String[] a = text.split("\n", -1);
    String[] b = rendered.split("\n", -1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (!a[i].equals(b[i])) {
        out.add(where + ":" + (i + 1) + " says '" + a[i].strip() + "' but its results give '"
            + b[i].strip() + "'");
        if (a.length != b.length) {
          break;
        }
      }
    }
    if (a.length != b.length) {
      out.add(where + ": a marked block has " + (a.length > b.length ? "more" : "fewer")
          + " lines than its results (" + a.length + " lines in the page, " + b.length
          + " rendered); rerun DocFigures after the run that wrote the results file");
    }
    return out;
  }

  /**
   * The text with each marked number replaced by its figure, formatted as the number was written.
   * Markers that name no figure are left alone and reported in {@code problems}.
   */
  static String render(String text, Map<String, Map<String, Double>> results, String where,
      List<String> problems) {
    return render(text, results, Map.of(), where, problems);
  }

  /**
   * The text with each marked number replaced by its figure and each marked block's body by its
   * note. Markers that name nothing, and block markers followed by no block, are left alone and
   * reported in {@code problems}.
   */
  static String render(String text, Map<String, Map<String, Double>> results,
      Map<String, Map<String, String>> notes, String where, List<String> problems) {
    return renderBlocks(renderNumbers(text, results, where, problems), notes, where, problems);
  }

  /**
   * Each block after a {@link #BLOCK} marker replaced by its note: the lines between a fence
   * ({@code ```}) and its closing fence, or the lines of a table (starting with {@code |}).
   */
  static String renderBlocks(String text, Map<String, Map<String, String>> notes, String where,
      List<String> problems) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      out.add(line);
      Matcher m = BLOCK.matcher(line);
      if (!m.find()) {
        continue;
      }
      String mark = where + ":" + (i + 1) + ": block marker " + m.group();
      Map<String, String> file = notes.get(m.group(1));
      String note = file == null ? null : file.get(m.group(2));
      int start = i + 1;
      boolean fenced = start < lines.size() && lines.get(start).startsWith("```");
      boolean table = start < lines.size() && lines.get(start).startsWith("|");
      if (!fenced && !table) {
        problems.add(mark + " is followed by neither a fenced block nor a table");
        continue;
      }
      int bodyStart = fenced ? start + 1 : start;
      int end = bodyStart;
      while (end < lines.size() && (fenced ? !lines.get(end).startsWith("```")
          : lines.get(end).startsWith("|"))) {
        end++;
      }
      if (fenced && end == lines.size()) {
        problems.add(mark + ": its code block is never closed");
        continue;
      }
      if (file == null) {
        problems.add(mark + ": no results file docs/results/" + m.group(1) + ".json");
        continue;
      }
      if (note == null) {
        problems.add(mark + ": docs/results/" + m.group(1) + ".json has no note '" + m.group(2)
            + "'; it has " + file.keySet());
        continue;
      }
      if (fenced) {
        out.add(lines.get(start));
      }
      String body = note.endsWith("\n") ? note.substring(0, note.length() - 1) : note;
      out.addAll(List.of(body.split("\n", -1)));
      i = end - 1;
    }
    return String.join("\n", out);
  }

  private static String renderNumbers(String text, Map<String, Map<String, Double>> results,
      String where, List<String> problems) {
    Matcher m = MARKER.matcher(text);
    StringBuilder out = new StringBuilder();
    int copied = 0;
    while (m.find()) {
      String before = text.substring(copied, m.start());
      Matcher n = BEFORE.matcher(before);
      Map<String, Double> file = results.get(m.group(1));
      Double value = file == null ? null : file.get(m.group(2));
      int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
      if (!n.find()) {
        problems.add(where + ":" + line + ": marker " + m.group() + " follows no number");
        out.append(before);
      } else if (file == null) {
        problems.add(where + ":" + line + ": no results file docs/results/" + m.group(1)
            + ".json for " + m.group());
        out.append(before);
      } else if (value == null) {
        problems.add(where + ":" + line + ": docs/results/" + m.group(1) + ".json has no figure '"
            + m.group(2) + "'; it has " + file.keySet());
        out.append(before);
      } else {
        out.append(before, 0, n.start(1)).append(format(value, n.group(1))).append(n.group(2));
      }
      out.append(m.group());
      copied = m.end();
    }
    return out.append(text.substring(copied)).toString();
  }

  /**
   * {@code value} in the written form of {@code written}: its decimals, grouping, exponent and
   * sign (a leading {@code +} is kept for positive values; a Unicode minus stays a Unicode minus).
   */
  static String format(double value, String written) {
    boolean unicodeMinus = written.startsWith("\u2212");
    String w = unicodeMinus ? "-" + written.substring(1) : written;
    int e = w.indexOf('e');
    String mantissa = e < 0 ? w : w.substring(0, e);
    int dot = mantissa.indexOf('.');
    int decimals = dot < 0 ? 0 : mantissa.length() - dot - 1;
    String flags = (w.startsWith("+") ? "+" : "") + (w.contains(",") ? "," : "");
    String s;
    if (e >= 0) {
      // 9e-8, 8.1e-4: the same significant digits, Java's exponent written the short way
      s = String.format(Locale.ROOT, "%" + flags + "." + decimals + "e", value)
          .replaceFirst("e([+-])0*([0-9])", "e$1$2").replace("e+", "e");
    } else {
      s = String.format(Locale.ROOT, "%" + flags + "." + decimals + "f", value);
      if (s.matches("[+-]?0(\\.0*)?")) {
        s = s.replace("-", w.startsWith("+") ? "+" : "");
      }
    }
    return unicodeMinus ? s.replace('-', '\u2212') : s;
  }

  /** The figures of every results file in {@code dir}: name → key → value. */
  static Map<String, Map<String, Double>> load(Path dir) {
    Map<String, Map<String, Double>> all = new LinkedHashMap<>();
    for (Path file : list(dir, ".json")) {
      Map<String, Object> doc = parse(file);
      Map<String, Double> figures = new LinkedHashMap<>();
      if (doc.get("figures") instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (e.getValue() instanceof Map<?, ?> f && f.get("value") instanceof Json.Num num) {
            figures.put((String) e.getKey(), num.value());
          }
        }
      }
      String name = file.getFileName().toString().replaceFirst("\\.json$", "");
      all.put(name, figures);
    }
    return all;
  }

  /** The notes (texts) of every results file in {@code dir}: name → key → text. */
  static Map<String, Map<String, String>> loadNotes(Path dir) {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    for (Path file : list(dir, ".json")) {
      Map<String, String> notes = new LinkedHashMap<>();
      if (parse(file).get("notes") instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (e.getValue() instanceof String text) {
            notes.put((String) e.getKey(), text);
          }
        }
      }
      all.put(file.getFileName().toString().replaceFirst("\\.json$", ""), notes);
    }
    return all;
  }

  private static List<String> provenanceProblems(Path dir) {
    List<String> problems = new ArrayList<>();
    for (Path file : list(dir, ".json")) {
      Map<String, Object> doc = parse(file);
      for (String key : List.of("name", "date", "command", "machine", "versions", "figures")) {
        if (!doc.containsKey(key)) {
          problems.add("docs/results/" + file.getFileName() + " lacks '" + key + "'");
        }
      }
      if (doc.get("machine") instanceof Map<?, ?> machine
          && !(machine.containsKey("cores") && machine.containsKey("cpu"))) {
        problems.add("docs/results/" + file.getFileName() + " lacks the machine's cores and cpu");
      }
    }
    return problems;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(Path file) {
    try {
      Object doc = new Json(read(file)).document();
      if (doc instanceof Map<?, ?> map) {
        return (Map<String, Object>) map;
      }
      throw new GroundworkException(file + " is not a JSON object; a results file is written by "
          + "Results.write()");
    } catch (Json.Error e) {
      throw new GroundworkException(file + " is not valid JSON at character " + e.pos + ": "
          + e.getMessage() + "; rerun the benchmark that writes it");
    }
  }

  /** README.md and every docs/*.md and docs/guide/*.md page under {@code root}. */
  static List<Path> documents(Path root) {
    List<Path> docs = new ArrayList<>();
    docs.add(root.resolve("README.md"));
    docs.addAll(list(root.resolve("docs"), ".md"));
    docs.addAll(list(root.resolve("docs/guide"), ".md"));
    return docs;
  }

  private static List<Path> list(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GroundworkException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The repository root: the nearest directory at or above {@code start} with docs/ and README.md. */
  public static Path repositoryRoot(Path start) {
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("README.md"))) {
        return p;
      }
    }
    throw new GroundworkException("no repository root (a directory with docs/ and README.md) at "
        + "or above " + start.toAbsolutePath() + "; pass the root as the first argument");
  }
}
