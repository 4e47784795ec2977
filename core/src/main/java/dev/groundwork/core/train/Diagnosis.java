package dev.groundwork.core.train;

/**
 * What an {@link OverfitCheck} names as the cause of its verdict: one rule of the check, each
 * backed by the evidence in the report. {@link #UNCLEAR} when the evidence fits no rule.
 */
public enum Diagnosis {
  /** The subset was fitted and nothing looks wrong. */
  FITS,
  /** The subset is degenerate (one class, identical or zero inputs, non-finite values). */
  DEGENERATE_DATA,
  /** Every parameter is frozen. */
  ALL_FROZEN,
  /** Frozen parameters leave too little to train. */
  FROZEN,
  /** The inputs are far outside a normalised range. */
  NORMALISATION,
  /** The labels do not depend on what the model sees (misaligned pairs, a destructive transform). */
  LABELS_INDEPENDENT_OF_INPUTS,
  /** The model's output does not depend on its input (input cut off, every unit dead). */
  IGNORES_INPUT,
  /** Dropout or noise active in training mode keeps the model from fitting. */
  REGULARISATION,
  /** Weight decay holds the weights near zero. */
  WEIGHT_DECAY,
  /** Batch norm over too few examples (a batch of one, or tiny batches). */
  BATCH_NORM_SMALL_BATCH,
  /** A layer mixes examples across the batch. */
  BATCH_MIXING,
  /** The outputs are squashed (softmax or sigmoid on the last layer) before the loss. */
  BOUNDED_OUTPUTS,
  /** Trainable parameters never receive a gradient (detached, or cut off from the loss). */
  NO_GRADIENT,
  /** The learning rate is far too low (the parameters barely move). */
  LEARNING_RATE_TOO_LOW,
  /** The model's current learning rate is far below its configured one (a schedule left it). */
  LEARNING_RATE_ZEROED,
  /** The loss rose to many times its start, or became NaN/Inf, after updates. */
  DIVERGED,
  /** The loss is not finite before any update. */
  NON_FINITE_AT_INIT,
  /** A training step failed in the engine. */
  ENGINE_ERROR,
  /** The time budget ended training. */
  TIME_BUDGET,
  /** The loss was still falling when the step budget ended. */
  STEP_BUDGET,
  /** The loss fell and flattened short of the target: too small a model. */
  CAPACITY,
  /** Nearly all examples fit; a few never do (candidates for wrong labels). */
  FEW_NEVER_FIT,
  /** The evidence fits no rule. */
  UNCLEAR
}
