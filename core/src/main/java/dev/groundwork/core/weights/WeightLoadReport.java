package dev.groundwork.core.weights;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a weight load did, parameter by parameter: matched and loaded, missing from the file,
 * unexpected in the file, shape-mismatched, converted from another dtype, renamed, skipped by the
 * mapping and re-initialized — never a silent partial load.
 *
 * @param source the file or resource
 * @param format the reader's format, e.g. {@code safetensors}
 * @param sha256 the SHA-256 of the bytes read
 * @param checksumVerified whether an expected SHA-256 was given and matched
 * @param policy strict or matching
 * @param model the model's name
 * @param loaded the model parameters that received values from the file
 * @param missing model parameters the file does not hold
 * @param unexpected file tensors (after renaming) that name no model parameter
 * @param shapeMismatched {@code name: file [..] vs model [..]} for same-named tensors of other
 *     shapes
 * @param dtypeConverted {@code name: F16 → F32} for tensors converted on load
 * @param renamed file name → model name, for names the mapping changed
 * @param skipped file tensors the mapping dropped
 * @param reinitialized model parameters that kept their fresh initial values (matching policy)
 */
public record WeightLoadReport(String source, String format, String sha256,
    boolean checksumVerified, LoadPolicy policy, String model, List<String> loaded,
    List<String> missing, List<String> unexpected, List<String> shapeMismatched,
    List<String> dtypeConverted, Map<String, String> renamed, List<String> skipped,
    List<String> reinitialized) implements dev.groundwork.core.report.Renderable {

  /** Copies every list. */
  public WeightLoadReport {
    Objects.requireNonNull(source, "source");
    loaded = List.copyOf(loaded);
    missing = List.copyOf(missing);
    unexpected = List.copyOf(unexpected);
    shapeMismatched = List.copyOf(shapeMismatched);
    dtypeConverted = List.copyOf(dtypeConverted);
    renamed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(renamed));
    skipped = List.copyOf(skipped);
    reinitialized = List.copyOf(reinitialized);
  }

  /** Whether every model parameter was loaded and every file tensor used. */
  public boolean complete() {
    return missing.isEmpty() && unexpected.isEmpty() && shapeMismatched.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "WeightLoad  %s  %d of %d parameters loaded into %s "
        + "(%s, %s)%n", complete() ? "COMPLETE" : "PARTIAL", loaded.size(),
        loaded.size() + missing.size() + shapeMismatched.size(), model, format, policy));
    sb.append("  source   ").append(source).append('\n');
    sb.append("  sha256   ").append(sha256).append(checksumVerified ? " (verified)"
        : " (no expected checksum given)").append('\n');
    line(sb, "loaded", loaded);
    line(sb, "missing from the file", missing);
    line(sb, "unexpected in the file", unexpected);
    line(sb, "shape mismatch", shapeMismatched);
    line(sb, "dtype converted", dtypeConverted);
    if (!renamed.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "  %-24s %d: %s%n", "renamed", renamed.size(),
          renamed));
    }
    line(sb, "skipped by the mapping", skipped);
    line(sb, "re-initialized", reinitialized);
    return sb.toString().stripTrailing();
  }

  private static void line(StringBuilder sb, String label, List<String> items) {
    if (!items.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "  %-24s %d: %s%n", label, items.size(), items));
    }
  }

  /** This result as a report section (see {@link dev.groundwork.core.report.Sections#weightLoad}). */
  @Override
  public dev.groundwork.core.report.Section toSection() {
    return dev.groundwork.core.report.Sections.weightLoad(this);
  }
}
