package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;

/**
 * How slices are searched and confirmed (see {@link SliceReport} for the procedure).
 *
 * <pre>{@code
 * SliceOptions.builder().maxOrder(3).minSupport(50).fdr(0.05).quantileBins(16).build()
 * }</pre>
 *
 * @param maxOrder the most attribute conditions in a conjunction, 1 to 3 (default 2); a class
 *     condition found by refinement comes on top
 * @param minSupport the fewest examples a slice needs (default 30); in the discovery half a
 *     candidate needs half of it
 * @param fdr the false discovery rate of the Benjamini–Hochberg procedure over the confirmed
 *     slices, in (0, 1) (default 0.05)
 * @param quantileBins the quantile bins of a numeric attribute on the coarse grid, 2 to 64
 *     (default 16): their cut points are the grid's thresholds ({@code x ≤ t} and {@code x > t});
 *     selected slices then move each threshold to the best value in the data
 * @param overlap a candidate sharing at least this fraction of the smaller of the two with an
 *     already selected slice is a near-duplicate and skipped, in (0, 1] (default 0.5)
 * @param confirm how many slices, best class-adjusted evidence first, are refined and sent to
 *     confirmation, 1 to 1000 (default 20)
 * @param rawCandidates how many more slices, best raw evidence first, are sent to confirmation so
 *     that the report shows which raw failures the class mix explains, 0 to 100 (default 5)
 */
public record SliceOptions(int maxOrder, int minSupport, double fdr, int quantileBins,
    double overlap, int confirm, int rawCandidates) {

  /** Checks the options. */
  public SliceOptions {
    InvalidParameterException.check(maxOrder >= 1 && maxOrder <= 3,
        "maxOrder must be 1, 2 or 3, got %s", maxOrder);
    InvalidParameterException.check(minSupport >= 1, "minSupport must be ≥ 1, got %s",
        minSupport);
    InvalidParameterException.check(fdr > 0 && fdr < 1, "fdr must be in (0, 1), got %s", fdr);
    InvalidParameterException.check(quantileBins >= 2 && quantileBins <= 64,
        "quantileBins must be in [2, 64], got %s", quantileBins);
    InvalidParameterException.check(overlap > 0 && overlap <= 1,
        "overlap must be in (0, 1], got %s", overlap);
    InvalidParameterException.check(confirm >= 1 && confirm <= 1000,
        "confirm must be in [1, 1000], got %s", confirm);
    InvalidParameterException.check(rawCandidates >= 0 && rawCandidates <= 100,
        "rawCandidates must be in [0, 100], got %s", rawCandidates);
  }

  /** The defaults: order 2, support 30, q 0.05, 16 bins, overlap 0.5, 20 + 5 confirmed. */
  public static SliceOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SliceOptions}; checked in {@link #build()}. */
  public static final class Builder {
    private int maxOrder = 2;
    private int minSupport = 30;
    private double fdr = 0.05;
    private int quantileBins = 16;
    private double overlap = 0.5;
    private int confirm = 20;
    private int rawCandidates = 5;

    private Builder() {}

    /** The most attribute conditions in a conjunction (1–3). */
    public Builder maxOrder(int v) {
      maxOrder = v;
      return this;
    }

    /** The fewest examples a slice has. */
    public Builder minSupport(int v) {
      minSupport = v;
      return this;
    }

    /** The Benjamini–Hochberg false discovery rate of the confirmation. */
    public Builder fdr(double v) {
      fdr = v;
      return this;
    }

    /** The quantile bins of a numeric attribute on the coarse grid. */
    public Builder quantileBins(int v) {
      quantileBins = v;
      return this;
    }

    /** The shared fraction above which a candidate is a near-duplicate. */
    public Builder overlap(double v) {
      overlap = v;
      return this;
    }

    /** How many class-adjusted candidates are confirmed. */
    public Builder confirm(int v) {
      confirm = v;
      return this;
    }

    /** How many raw candidates are confirmed beside them. */
    public Builder rawCandidates(int v) {
      rawCandidates = v;
      return this;
    }

    /** Checks and builds. */
    public SliceOptions build() {
      return new SliceOptions(maxOrder, minSupport, fdr, quantileBins, overlap, confirm,
          rawCandidates);
    }
  }
}
