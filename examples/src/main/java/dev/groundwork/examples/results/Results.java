package dev.groundwork.examples.results;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.Provenance;
import dev.groundwork.core.runtime.Machine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The figures one run of a benchmark or example produced, written as {@code docs/results/NAME.json}
 * with the date, the command's arguments, the machine (cores, CPU, JVM, load average at the start
 * and at the end) and the versions involved. The figures the docs quote are taken from these files
 * by {@link DocFigures}, never typed by hand.
 *
 * <pre>{@code
 * Results r = Results.start("fit-bench", args).version("pytorch", "2.7.1");
 * r.put("test_accuracy_pct", 92.53, "%");
 * r.write();
 * }</pre>
 *
 * <p>The directory is {@code -Dgroundwork.results=DIR}; without it the run prints its figures and
 * writes nothing. The examples' Maven set-up passes the repository's {@code docs/results} to the
 * benchmarks ({@code exec:exec@bench}) only: an example run with {@code exec:java} writes a results
 * file when asked, {@code mvn ... exec:java -Dgroundwork.results=$PWD/docs/results}.
 */
public final class Results {

  /** The system property naming the directory results are written to. */
  public static final String DIRECTORY_PROPERTY = "groundwork.results";

  private static final Pattern KEY = Pattern.compile("[a-z0-9_]+");

  private final String name;
  private final String command;
  private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Machine machine = Machine.current();
  private final Map<String, String> versions = new LinkedHashMap<>();
  private final Map<String, Double> values = new LinkedHashMap<>();
  private final Map<String, String> units = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  private Results(String name, String command) {
    this.name = name;
    this.command = command;
    versions.put("groundwork", Provenance.GROUNDWORK_VERSION);
  }

  /**
   * Starts the results of one run.
   *
   * @param name the results file's name, e.g. {@code fit-bench} (lower case, digits, dashes)
   * @param args the run's command-line arguments, recorded as given after the calling class
   */
  public static Results start(String name, String... args) {
    InvalidParameterException.check(name != null && name.matches("[a-z0-9-]+"),
        "results name must be lower case letters, digits and dashes, got '%s'", name);
    String main = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames.skip(1).findFirst().map(f -> f.getDeclaringClass().getName())
            .orElse("?"));
    return new Results(name, (main + " " + String.join(" ", args)).trim());
  }

  /** Records a version (engine, model, dataset) the figures depend on. */
  public Results version(String what, String version) {
    versions.put(what, version);
    return this;
  }

  /**
   * Records a figure.
   *
   * @param key lower case, digits and underscores, unique within the run
   * @param value the figure; must be finite
   * @param unit its unit, e.g. {@code ms}, {@code %}, {@code images/s}, or empty
   */
  public Results put(String key, double value, String unit) {
    checkKey(key);
    InvalidParameterException.check(Double.isFinite(value),
        "figure '%s' of %s is %s; a results file holds finite figures only", key, name, value);
    values.put(key, value);
    units.put(key, unit);
    return this;
  }

  /** Records a short text beside the figures (a verdict, the chosen candidate, a setting). */
  public Results note(String key, String text) {
    checkKey(key);
    notes.put(key, text);
    return this;
  }

  /** The figure recorded under {@code key}. */
  public double get(String key) {
    Double v = values.get(key);
    InvalidParameterException.check(v != null, "no figure '%s' in %s; have %s", key, name,
        values.keySet());
    return v;
  }

  private void checkKey(String key) {
    InvalidParameterException.check(key != null && KEY.matcher(key).matches(),
        "figure key must be lower case letters, digits and underscores, got '%s'", key);
  }

  /**
   * Writes {@code NAME.json} into the results directory, atomically, if one is set.
   *
   * @return the file written, or {@code null} when no directory is set
   */
  public Path write() {
    String dir = System.getProperty(DIRECTORY_PROPERTY);
    if (dir == null || dir.isBlank()) {
      return null;
    }
    Path file = Path.of(dir).resolve(name + ".json");
    byte[] json = toJson().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, "benchmark results", out -> out.write(json));
    System.out.println("results written to " + file.toAbsolutePath().normalize());
    return file;
  }

  /** The results as JSON, keys in insertion order. */
  public String toJson() {
    Machine end = Machine.current();
    StringBuilder sb = new StringBuilder("{\n");
    field(sb, "name", quote(name)).append(",\n");
    field(sb, "date", quote(started.toString())).append(",\n");
    field(sb, "command", quote(command)).append(",\n");
    sb.append("  \"machine\": {\"cores\": ").append(machine.cores()).append(", \"cpu\": ")
        .append(quote(machine.cpu())).append(", \"java\": ").append(quote(machine.java()))
        .append(", \"os\": ").append(quote(machine.os())).append(", \"max_heap_mb\": ")
        .append(Runtime.getRuntime().maxMemory() >> 20).append(", \"load_average_start\": ")
        .append(number(machine.loadAverage())).append(", \"load_average_end\": ")
        .append(number(end.loadAverage())).append("},\n");
    sb.append("  \"versions\": {");
    appendMap(sb, versions);
    sb.append("},\n  \"figures\": {");
    String sep = "\n";
    for (Map.Entry<String, Double> e : values.entrySet()) {
      sb.append(sep).append("    ").append(quote(e.getKey())).append(": {\"value\": ")
          .append(number(e.getValue())).append(", \"unit\": ")
          .append(quote(units.get(e.getKey()))).append('}');
      sep = ",\n";
    }
    sb.append(values.isEmpty() ? "" : "\n  ").append("},\n  \"notes\": {");
    appendMap(sb, notes);
    return sb.append("}\n}\n").toString();
  }

  private static void appendMap(StringBuilder sb, Map<String, String> map) {
    String sep = "";
    for (Map.Entry<String, String> e : map.entrySet()) {
      sb.append(sep).append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
      sep = ", ";
    }
  }

  private static StringBuilder field(StringBuilder sb, String key, String json) {
    return sb.append("  ").append(quote(key)).append(": ").append(json);
  }

  private static String number(double v) {
    if (!Double.isFinite(v)) {
      return "null";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    return Double.toString(v);
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
