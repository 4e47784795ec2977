package dev.groundwork.core.weights;

/** What a weight load does when the file and the model do not match one to one. */
public enum LoadPolicy {
  /**
   * Every model parameter must be in the file with its shape, and every tensor of the file must be
   * a model parameter; otherwise a {@link WeightsMismatchException} lists the differences and the
   * model is unchanged.
   */
  STRICT,
  /**
   * Loads the tensors whose name and shape match; the model's other parameters keep their fresh
   * initial values (reported as re-initialized), unmatched tensors are reported as unexpected. At
   * least one tensor must match.
   */
  MATCHING
}
