package dev.groundwork.core.compare;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.Provenance;
import dev.groundwork.core.runtime.RuntimeBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A scorecard: every candidate's quality and runtime side by side, the Pareto front, the flags of
 * candidates that do not beat their baselines, the recommendation with its rule, and provenance.
 *
 * <p>{@code toString()} is the table; {@link #writeJson(Path)} writes the same content as JSON.
 *
 * @param data one line on the split (sizes and names)
 * @param candidates one result per candidate, baselines first, in the order run
 * @param paretoFront the names on the Pareto front of accuracy, p99 latency and throughput
 * @param recommendation the pick and its rule
 * @param budget the runtime budget every candidate was checked against
 * @param profileSettings how each runtime was profiled
 * @param seeds the seeds each trained candidate and baseline ran with
 * @param provenance seeds, configuration, backends, data fingerprints and versions
 */
public record ScorecardResult(String data, List<CandidateResult> candidates,
    Set<String> paretoFront, Recommendation recommendation, RuntimeBudget budget,
    ProfileSettings profileSettings, List<Long> seeds, Provenance provenance) {

  /** Checks the fields and copies the collections. */
  public ScorecardResult {
    Objects.requireNonNull(data, "data");
    candidates = List.copyOf(candidates);
    paretoFront = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(paretoFront));
    Objects.requireNonNull(recommendation, "recommendation");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(profileSettings, "profileSettings");
    seeds = List.copyOf(seeds);
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The result of the candidate with this name. */
  public Optional<CandidateResult> candidate(String name) {
    return candidates.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The measured baselines. */
  public List<CandidateResult> baselines() {
    return candidates.stream().filter(c -> c.baseline() && !c.failed()).toList();
  }

  /** The candidates that threw. */
  public List<CandidateResult> failures() {
    return candidates.stream().filter(CandidateResult::failed).toList();
  }

  /**
   * For each measured non-baseline candidate whose mean accuracy does not exceed a measured
   * baseline's, the names of those baselines (candidates that beat every baseline are absent).
   */
  public Map<String, List<String>> notBeatingBaselines() {
    Map<String, List<String>> flags = new LinkedHashMap<>();
    for (CandidateResult c : candidates) {
      if (c.baseline() || c.failed()) {
        continue;
      }
      List<String> unbeaten = baselines().stream()
          .filter(b -> c.meanAccuracy() <= b.meanAccuracy()).map(CandidateResult::name).toList();
      if (!unbeaten.isEmpty()) {
        flags.put(c.name(), unbeaten);
      }
    }
    return flags;
  }

  /** The recommended candidate's name, if any qualifies. */
  public Optional<String> recommended() {
    return recommendation.chosen();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("Scorecard  ").append(data).append('\n');
    sb.append(String.format(Locale.ROOT, "  test accuracy: mean ± standard deviation over %d "
        + "seed%s %s · budget: %s · profile: %s%n", seeds.size(), seeds.size() == 1 ? "" : "s",
        seeds, budget, profileSettings));
    int width = Math.max(9, candidates.stream().mapToInt(c -> c.name().length()).max().orElse(9));
    String head = "  %-" + width + "s  %-10s  %-14s  %11s  %9s  %8s  %8s  %8s  %12s  %-6s  %s%n";
    String rowFmt = "  %-" + width + "s  %-10s  %-14s  %,11d  %9s  %8.1f  %8.3f  %8.3f  %,12.0f"
        + "  %-6s  %s%n";
    sb.append(String.format(Locale.ROOT, head, "candidate", "kind", "accuracy", "parameters",
        "size", "train s", "p50 ms", "p99 ms", "ex/s @" + profileSettings.largestBatch(),
        "budget", "pareto"));
    for (CandidateResult c : candidates) {
      String kind = c.kind().name().toLowerCase(Locale.ROOT);
      if (c.failed()) {
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %-10s  FAILED — %s%n", c.name(),
            kind, c.error().orElseThrow()));
        continue;
      }
      RuntimeSummary r = c.runtime().orElseThrow();
      sb.append(String.format(Locale.ROOT, rowFmt, c.name(), kind, accuracy(c), c.parameters(),
          size(c.sizeBytes()), c.trainSeconds(), r.p50Millis(), r.p99Millis(),
          r.examplesPerSecond(), budget.equals(RuntimeBudget.none()) ? "—"
              : r.withinBudget() ? "ok" : "MISS", paretoFront.contains(c.name()) ? "*" : ""));
    }
    notBeatingBaselines().forEach((name, bs) -> sb.append("  FLAG  ").append(name)
        .append(" does not beat the baseline").append(bs.size() == 1 ? " " : "s ")
        .append(String.join(", ", bs)).append('\n'));
    List<String> catalog = catalogLines();
    if (!catalog.isEmpty()) {
      sb.append("  the approach catalog beside this run (reported: on the authors' benchmarks "
          + "and hardware, not this data):\n");
      catalog.forEach(l -> sb.append("    ").append(l).append('\n'));
    }
    sb.append("  ").append(recommendation.verdict()).append('\n');
    sb.append("  rule: ").append(recommendation.rule()).append('\n');
    recommendation.misses().forEach(m -> sb.append("  over budget  ").append(m).append('\n'));
    sb.append("  provenance: ").append(provenance);
    return sb.toString();
  }

  private static String accuracy(CandidateResult c) {
    return String.format(Locale.ROOT, "%5.1f ± %.1f %%", 100 * c.meanAccuracy(),
        100 * c.accuracySpread());
  }

  private static String size(OptionalLong bytes) {
    if (bytes.isEmpty()) {
      return "—";
    }
    long b = bytes.getAsLong();
    return b < 10_000 ? b + " B" : b < 10_000_000 ? (b + 512) / 1024 + " KB"
        : (b + (1 << 19)) / (1 << 20) + " MB";
  }

  /**
   * Two lines per candidate tied to a catalog approach: what was measured here, and what the
   * approach's authors reported on their benchmark (or that the id is not in the catalog).
   */
  List<String> catalogLines() {
    List<String> lines = new ArrayList<>();
    int width = candidates.stream().filter(c -> c.approachId().isPresent())
        .mapToInt(c -> c.name().length()).max().orElse(0);
    String pad = " ".repeat(width);
    for (CandidateResult c : candidates) {
      if (c.approachId().isEmpty()) {
        continue;
      }
      String id = c.approachId().get();
      lines.add(String.format(Locale.ROOT, "%-" + width + "s  measured here:  %s", c.name(),
          c.failed() ? "FAILED" : String.format(Locale.ROOT, "%.1f ± %.1f %% test accuracy, "
              + "%,d parameters", 100 * c.meanAccuracy(), 100 * c.accuracySpread(),
              c.parameters())));
      lines.add(pad + "  reported:       " + ApproachCatalog.find(id)
          .map(a -> a.name() + " (`" + id + "`): " + (a.reported().isEmpty()
              ? "a baseline, no figure reported"
              : a.reported().stream().map(f -> ApproachCatalog.figure(f) + " [" + f.source()
                  + "]").collect(Collectors.joining("; ")))
              + a.parameters().map(p -> "; parameters " + p).orElse(""))
          .orElse("'" + id + "' is not in the catalog"));
    }
    return lines;
  }

  /** The scorecard as JSON: settings, one object per candidate, the front, the pick, provenance. */
  public String toJson() {
    JsonOut j = new JsonOut();
    j.open('{');
    j.field("data").str(data);
    j.field("seeds").open('[');
    seeds.forEach(s -> j.item().num(s));
    j.close(']');
    j.field("budget").str(budget.toString());
    j.field("profile").str(profileSettings.toString());
    j.field("candidates").open('[');
    for (CandidateResult c : candidates) {
      j.item().open('{');
      j.field("name").str(c.name());
      j.field("kind").str(c.kind().name());
      j.field("complexity").str(c.complexity());
      j.field("approach").str(c.approachId().orElse(null));
      j.field("reported").open('[');
      c.approachId().flatMap(ApproachCatalog::find).ifPresent(a -> a.reported().forEach(f -> {
        j.item().open('{');
        j.field("metric").str(f.metric());
        j.field("value").num(f.value());
        j.field("unit").str(f.unit());
        j.field("benchmark").str(f.benchmark());
        j.field("source").str(f.source());
        j.close('}');
      }));
      j.close(']');
      j.field("status").str(c.failed() ? "FAILED" : "MEASURED");
      j.field("error").str(c.error().orElse(null));
      if (!c.failed()) {
        RuntimeSummary r = c.runtime().orElseThrow();
        j.field("accuracies").open('[');
        c.accuracies().forEach(a -> j.item().num(a));
        j.close(']');
        j.field("meanAccuracy").num(c.meanAccuracy());
        j.field("accuracySpread").num(c.accuracySpread());
        j.field("parameters").num(c.parameters());
        j.field("sizeBytes").num(c.sizeBytes().isPresent() ? c.sizeBytes().getAsLong() : null);
        j.field("trainSeconds").num(c.trainSeconds());
        j.field("p50Millis").num(r.p50Millis());
        j.field("p99Millis").num(r.p99Millis());
        j.field("throughputBatch").num(r.throughputBatch());
        j.field("examplesPerSecond").num(r.examplesPerSecond());
        j.field("withinBudget").bool(r.withinBudget());
        j.field("budgetMisses").open('[');
        r.misses().forEach(m -> j.item().str(m));
        j.close(']');
        j.field("pareto").bool(paretoFront.contains(c.name()));
        j.field("notBeating").open('[');
        notBeatingBaselines().getOrDefault(c.name(), List.of()).forEach(b -> j.item().str(b));
        j.close(']');
      }
      j.close('}');
    }
    j.close(']');
    j.field("recommended").str(recommendation.chosen().orElse(null));
    j.field("verdict").str(recommendation.verdict());
    j.field("rule").str(recommendation.rule());
    j.field("margin").num(recommendation.margin());
    j.field("provenance").open('{');
    j.field("seed").num(provenance.seed());
    j.field("backend").str(provenance.backend());
    j.field("dataset").str(provenance.datasetFingerprint());
    j.field("runtime").str(provenance.runtime());
    j.field("config").open('{');
    provenance.config().forEach((k, v) -> j.field(k).str(v));
    j.close('}');
    j.close('}');
    j.close('}');
    return j.toString();
  }

  /** Writes {@link #toJson()} to {@code file} atomically. */
  public void writeJson(Path file) {
    byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, "the scorecard (JSON)", out -> out.write(bytes));
  }

  /** A minimal JSON writer: commas and nesting handled, strings escaped. Internal. */
  private static final class JsonOut {
    private final StringBuilder sb = new StringBuilder();
    private boolean needComma;

    JsonOut open(char c) {
      sb.append(c);
      needComma = false;
      return this;
    }

    JsonOut close(char c) {
      sb.append(c);
      needComma = true;
      return this;
    }

    JsonOut field(String name) {
      item();
      str(name);
      sb.append(':');
      needComma = false;
      return this;
    }

    JsonOut item() {
      if (needComma) {
        sb.append(',');
      }
      needComma = false;
      return this;
    }

    JsonOut str(String s) {
      if (s == null) {
        sb.append("null");
      } else {
        sb.append('"');
        s.chars().forEach(ch -> sb.append(ch == '"' || ch == '\\' ? "\\" + (char) ch
            : ch < 0x20 ? String.format(Locale.ROOT, "\\u%04x", ch) : String.valueOf((char) ch)));
        sb.append('"');
      }
      needComma = true;
      return this;
    }

    JsonOut num(Number n) {
      boolean finite = n != null && Double.isFinite(n.doubleValue());
      sb.append(finite ? n.toString() : "null");
      needComma = true;
      return this;
    }

    JsonOut bool(boolean b) {
      sb.append(b);
      needComma = true;
      return this;
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
