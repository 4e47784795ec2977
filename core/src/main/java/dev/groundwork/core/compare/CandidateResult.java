package dev.groundwork.core.compare;

import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.runtime.RuntimeProfileResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a scorecard measured for one candidate, or the error that stopped it.
 *
 * @param name the candidate's name
 * @param kind baseline, trained or pretrained
 * @param complexity the candidate's line on its complexity
 * @param approachId the catalog approach it implements, if given
 * @param error for a failed candidate, the seed, the phase and the exception; empty otherwise
 * @param accuracies test accuracy per seed, in seed order (empty when failed)
 * @param parameters the number of parameter values (0 when failed)
 * @param sizeBytes the size of its weights on disk, if known
 * @param trainSeconds mean training time over the seeds (0 for pretrained models)
 * @param runtime the runtime figures of the profile (absent when failed)
 * @param profile the full runtime profile (absent when failed or not kept)
 * @param testPredictions the first seed's model's probabilities for every test example, in the
 *     test part's order (absent when failed or not kept), e.g. for a {@code Look} at its outputs
 */
public record CandidateResult(String name, Candidate.Kind kind, String complexity,
    Optional<String> approachId, Optional<String> error, List<Double> accuracies,
    long parameters, OptionalLong sizeBytes, double trainSeconds,
    Optional<RuntimeSummary> runtime, Optional<RuntimeProfileResult> profile,
    Optional<ClassProbabilities> testPredictions) {

  /** Checks the fields and copies the list. */
  public CandidateResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(complexity, "complexity");
    Objects.requireNonNull(approachId, "approachId");
    Objects.requireNonNull(error, "error");
    accuracies = List.copyOf(accuracies);
    Objects.requireNonNull(sizeBytes, "sizeBytes");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(testPredictions, "testPredictions");
    if (error.isEmpty() && (accuracies.isEmpty() || runtime.isEmpty())) {
      throw new IllegalArgumentException("a measured candidate needs accuracies and runtime "
          + "figures: " + name);
    }
  }

  /** A candidate that was measured. */
  public static CandidateResult measured(String name, Candidate.Kind kind, String complexity,
      List<Double> accuracies, long parameters, OptionalLong sizeBytes, double trainSeconds,
      RuntimeSummary runtime) {
    return new CandidateResult(name, kind, complexity, Optional.empty(), Optional.empty(),
        accuracies, parameters, sizeBytes, trainSeconds, Optional.of(runtime), Optional.empty(),
        Optional.empty());
  }

  /** A candidate that threw. */
  public static CandidateResult failed(String name, Candidate.Kind kind, String complexity,
      String error) {
    return new CandidateResult(name, kind, complexity, Optional.empty(), Optional.of(error),
        List.of(), 0, OptionalLong.empty(), 0, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /** This result tied to a catalog approach, with its full profile and test predictions. */
  CandidateResult with(Optional<String> approach, Optional<RuntimeProfileResult> fullProfile,
      Optional<ClassProbabilities> predictions) {
    return new CandidateResult(name, kind, complexity, approach, error, accuracies, parameters,
        sizeBytes, trainSeconds, runtime, fullProfile, predictions);
  }

  /** Whether the candidate threw. */
  public boolean failed() {
    return error.isPresent();
  }

  /** Whether it is a baseline. */
  public boolean baseline() {
    return kind == Candidate.Kind.BASELINE;
  }

  /** Mean test accuracy over the seeds (NaN when failed). */
  public double meanAccuracy() {
    return accuracies.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Sample standard deviation of the test accuracy over the seeds (0 with one seed). */
  public double accuracySpread() {
    int n = accuracies.size();
    if (n < 2) {
      return 0;
    }
    double mean = meanAccuracy();
    double ss = accuracies.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum();
    return Math.sqrt(ss / (n - 1));
  }

  /** Whether it was measured and meets the runtime budget. */
  public boolean withinBudget() {
    return runtime.map(RuntimeSummary::withinBudget).orElse(false);
  }

  /**
   * One candidate as a small table: what it is, its accuracy per seed, size and training time, and
   * its runtime against the budget — or the error that stopped it.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
        "Candidate %s (%s%s)%s%n", name, kind.name().toLowerCase(java.util.Locale.ROOT),
        complexity.isEmpty() ? "" : ", " + complexity,
        approachId.map(a -> " · approach " + a).orElse("")));
    if (error.isPresent()) {
      return sb.append(String.format(java.util.Locale.ROOT, "  %-10s %s", "FAILED", error.get()))
          .toString();
    }
    String perSeed = accuracies.stream()
        .map(a -> String.format(java.util.Locale.ROOT, "%.4f", a))
        .collect(java.util.stream.Collectors.joining(", "));
    sb.append(String.format(java.util.Locale.ROOT, "  %-10s %.4f ± %.4f over %d seed%s (%s)%n",
        "accuracy", meanAccuracy(), accuracySpread(), accuracies.size(),
        accuracies.size() == 1 ? "" : "s", perSeed));
    sb.append(String.format(java.util.Locale.ROOT, "  %-10s %,d parameters%s · training %.1f s%n",
        "size", parameters, sizeBytes.isPresent()
            ? String.format(java.util.Locale.ROOT, " · %,d bytes", sizeBytes.getAsLong()) : "",
        trainSeconds));
    sb.append(String.format(java.util.Locale.ROOT, "  %-10s %s", "runtime",
        runtime.map(RuntimeSummary::toString).orElse("–")));
    return sb.toString();
  }
}
