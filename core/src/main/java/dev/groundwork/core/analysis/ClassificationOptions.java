package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import java.util.Objects;

/**
 * Options of a classification failure analysis.
 *
 * <pre>{@code
 * ClassificationOptions.builder().seed(7).maxOrder(3).minSupport(50).clusters(8).build()
 * }</pre>
 *
 * @param seed the seed of k-means, its sampling and the slices' discovery/confirmation split
 *     (default 42)
 * @param slices the slice search
 * @param clusters the number of k-means clusters, 0 for none (default 10)
 * @param calibrationBins equal-width confidence bins (default 15)
 * @param topLosses how many highest-loss examples to keep (default 50)
 * @param imageAttributes add image attributes from the pixels when the predictions come from a
 *     dataset of images (default true)
 * @param targetHalfWidth the Wilson half-width the collection plan sizes aim for (default 0.02)
 * @param planSize the most items in the collection plan (default 10)
 * @param labelIssueMethod how label issues are chosen (default {@link
 *     LabelIssues.Method#NEIGHBOUR_CONSENSUS}, which falls back to {@link
 *     LabelIssues.Method#CONFIDENT_JOINT} when the predictions carry no embeddings or number more
 *     than {@value LabelIssues#MAX_DEFAULT_NEIGHBOUR_EXAMPLES}; the result's {@link
 *     LabelIssues#method()} says which ran)
 * @param labelIssueNeighbours the k of the neighbour consensus (default {@value
 *     LabelIssues#DEFAULT_NEIGHBOURS}; at most n − 1 are used)
 */
public record ClassificationOptions(long seed, SliceOptions slices, int clusters,
    int calibrationBins, int topLosses, boolean imageAttributes, double targetHalfWidth,
    int planSize, LabelIssues.Method labelIssueMethod, int labelIssueNeighbours) {

  /** Checks the options. */
  public ClassificationOptions {
    Objects.requireNonNull(slices, "slices");
    InvalidParameterException.check(clusters >= 0 && clusters <= 1000,
        "clusters must be in [0, 1000], got %s", clusters);
    InvalidParameterException.check(calibrationBins >= 1 && calibrationBins <= 1000,
        "calibrationBins must be in [1, 1000], got %s", calibrationBins);
    InvalidParameterException.check(topLosses >= 0, "topLosses must be ≥ 0, got %s", topLosses);
    InvalidParameterException.check(targetHalfWidth > 0 && targetHalfWidth < 0.5,
        "targetHalfWidth must be in (0, 0.5), got %s", targetHalfWidth);
    InvalidParameterException.check(planSize >= 0, "planSize must be ≥ 0, got %s", planSize);
    Objects.requireNonNull(labelIssueMethod, "labelIssueMethod");
    InvalidParameterException.check(labelIssueNeighbours >= 1,
        "labelIssueNeighbours must be ≥ 1, got %s", labelIssueNeighbours);
  }

  /** The defaults. */
  public static ClassificationOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ClassificationOptions}; checked in {@link #build()}. */
  public static final class Builder {
    private long seed = 42;
    private final SliceOptions.Builder slices = SliceOptions.builder();
    private int clusters = 10;
    private int calibrationBins = Calibration.DEFAULT_BINS;
    private int topLosses = 50;
    private boolean imageAttributes = true;
    private double targetHalfWidth = 0.02;
    private int planSize = 10;
    private LabelIssues.Method labelIssueMethod = LabelIssues.Method.NEIGHBOUR_CONSENSUS;
    private int labelIssueNeighbours = LabelIssues.DEFAULT_NEIGHBOURS;

    private Builder() {}

    /** The seed. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** The most attributes in a slice (1–3). */
    public Builder maxOrder(int v) {
      slices.maxOrder(v);
      return this;
    }

    /** The fewest examples in a tested slice. */
    public Builder minSupport(int v) {
      slices.minSupport(v);
      return this;
    }

    /** The Benjamini–Hochberg false discovery rate for slices and clusters. */
    public Builder fdr(double v) {
      slices.fdr(v);
      return this;
    }

    /** Quantile bins of numeric attributes. */
    public Builder quantileBins(int v) {
      slices.quantileBins(v);
      return this;
    }

    /** The shared fraction above which a candidate slice is a near-duplicate of a selected one. */
    public Builder overlap(double v) {
      slices.overlap(v);
      return this;
    }

    /** How many class-adjusted slice candidates are refined and confirmed. */
    public Builder confirm(int v) {
      slices.confirm(v);
      return this;
    }

    /** How many raw slice candidates are confirmed beside them. */
    public Builder rawCandidates(int v) {
      slices.rawCandidates(v);
      return this;
    }

    /** The number of k-means clusters (0: none). */
    public Builder clusters(int v) {
      clusters = v;
      return this;
    }

    /** Calibration bins. */
    public Builder calibrationBins(int v) {
      calibrationBins = v;
      return this;
    }

    /** Highest-loss examples kept. */
    public Builder topLosses(int v) {
      topLosses = v;
      return this;
    }

    /** Whether to compute image attributes from pixels. */
    public Builder imageAttributes(boolean v) {
      imageAttributes = v;
      return this;
    }

    /** The Wilson half-width the collection plan aims for. */
    public Builder targetHalfWidth(double v) {
      targetHalfWidth = v;
      return this;
    }

    /** The most collection-plan items. */
    public Builder planSize(int v) {
      planSize = v;
      return this;
    }

    /**
     * How label issues are chosen (default neighbour consensus, or the confident joint when the
     * predictions carry no embeddings or are too many; see {@link ClassificationOptions}).
     */
    public Builder labelIssueMethod(LabelIssues.Method v) {
      labelIssueMethod = v;
      return this;
    }

    /** The k of the neighbour consensus (default {@value LabelIssues#DEFAULT_NEIGHBOURS}). */
    public Builder labelIssueNeighbours(int k) {
      labelIssueNeighbours = k;
      return this;
    }

    /** Checks and builds. */
    public ClassificationOptions build() {
      return new ClassificationOptions(seed, slices.build(), clusters, calibrationBins,
          topLosses, imageAttributes, targetHalfWidth, planSize, labelIssueMethod,
          labelIssueNeighbours);
    }
  }
}
