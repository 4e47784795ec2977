package dev.groundwork.core.analysis;

import dev.groundwork.core.data.Fingerprint;
import java.util.Objects;

/**
 * Where a classification analysis result comes from: enough to tie it to its inputs and re-run it.
 *
 * @param seed the seed of every random choice (k-means initialisation, subsampling)
 * @param options the options, as their {@code toString()}
 * @param predictions the number of predictions analysed
 * @param fingerprint SHA-256 of the predictions ({@link ClassificationPredictions#fingerprint()})
 * @param source where the predictions came from
 * @param java the Java runtime version
 * @param os the operating system and architecture
 */
public record ClassificationProvenance(long seed, String options, int predictions,
    Fingerprint fingerprint, String source, String java, String os) {

  /** Checks the fields. */
  public ClassificationProvenance {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(source, "source");
  }

  /** The provenance of an analysis of {@code p} with this seed and options. */
  public static ClassificationProvenance of(ClassificationPredictions p, long seed,
      Object options) {
    return new ClassificationProvenance(seed, String.valueOf(options), p.size(), p.fingerprint(),
        p.source(), System.getProperty("java.version", "?"),
        System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?"));
  }

  @Override
  public String toString() {
    return "provenance: " + source + " · n=" + predictions + " · " + fingerprint + " · seed "
        + seed + " · Java " + java + " · " + os;
  }
}
