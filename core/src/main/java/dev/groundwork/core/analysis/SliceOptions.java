package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;

/**
 * How slices are searched.
 *
 * <pre>{@code
 * SliceOptions.builder().maxOrder(3).minSupport(50).fdr(0.05).quantileBins(4).build()
 * }</pre>
 *
 * @param maxOrder the most attributes in a conjunction, 1 to 3 (default 2)
 * @param minSupport the fewest examples a slice needs to be tested (default 30); a value or
 *     conjunction with fewer is neither tested nor counted
 * @param fdr the false discovery rate q of the Benjamini–Hochberg procedure across every tested
 *     slice, in (0, 1) (default 0.05)
 * @param quantileBins the number of quantile bins of a numeric attribute, 2 to 20 (default 4)
 * @param overlap a slice whose examples lie at least this fraction inside a reported slice of no
 *     higher order, and whose error rate is not significantly above the rest of that slice, is
 *     folded under it, in (0, 1] (default 0.9)
 */
public record SliceOptions(int maxOrder, int minSupport, double fdr, int quantileBins,
    double overlap) {

  /** Checks the options. */
  public SliceOptions {
    InvalidParameterException.check(maxOrder >= 1 && maxOrder <= 3,
        "maxOrder must be 1, 2 or 3, got %s", maxOrder);
    InvalidParameterException.check(minSupport >= 1, "minSupport must be ≥ 1, got %s",
        minSupport);
    InvalidParameterException.check(fdr > 0 && fdr < 1, "fdr must be in (0, 1), got %s", fdr);
    InvalidParameterException.check(quantileBins >= 2 && quantileBins <= 20,
        "quantileBins must be in [2, 20], got %s", quantileBins);
    InvalidParameterException.check(overlap > 0 && overlap <= 1,
        "overlap must be in (0, 1], got %s", overlap);
  }

  /** The defaults: order 2, support 30, q 0.05, 4 bins, overlap 0.9. */
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
    private int quantileBins = 4;
    private double overlap = 0.9;

    private Builder() {}

    /** The most attributes in a conjunction (1–3). */
    public Builder maxOrder(int v) {
      maxOrder = v;
      return this;
    }

    /** The fewest examples a tested slice has. */
    public Builder minSupport(int v) {
      minSupport = v;
      return this;
    }

    /** The Benjamini–Hochberg false discovery rate. */
    public Builder fdr(double v) {
      fdr = v;
      return this;
    }

    /** The number of quantile bins of a numeric attribute. */
    public Builder quantileBins(int v) {
      quantileBins = v;
      return this;
    }

    /** The containment above which an overlapping slice is folded. */
    public Builder overlap(double v) {
      overlap = v;
      return this;
    }

    /** Checks and builds. */
    public SliceOptions build() {
      return new SliceOptions(maxOrder, minSupport, fdr, quantileBins, overlap);
    }
  }
}
