package dev.groundwork.core.model;

import dev.groundwork.core.data.Batch;
import java.nio.file.Path;
import java.util.List;

/**
 * A model that can be trained one step at a time, frozen by parameter name, saved and loaded, and
 * re-created untrained — what {@code OverfitCheck}, the LR finder and the fit loop drive.
 *
 * <p>Training calls are not thread-safe; {@link #predict(Batch)} stays safe between steps.
 */
public interface TrainableModel extends Model {

  /** The training configuration this model was created with. */
  TrainConfig config();

  /**
   * One optimizer step on a batch: forward, cross-entropy loss, backward, update.
   *
   * @param collectGradients also return each trainable parameter's gradient norm (costs a little)
   * @throws dev.groundwork.core.GroundworkException if no parameter is trainable
   */
  StepResult trainStep(Batch batch, boolean collectGradients);

  /** Sets the learning rate for the next steps (the LR finder sweeps it). */
  void learningRate(double learningRate);

  /** The learning rate the next step will use. */
  double learningRate();

  /** Every parameter with its shape, count and whether it is trainable. */
  List<ParameterInfo> parameters();

  /**
   * Freezes the parameters whose name starts with {@code prefix}; returns how many.
   *
   * @throws dev.groundwork.core.InvalidParameterException if no parameter matches, listing the
   *     names
   */
  int freeze(String prefix);

  /** Unfreezes the parameters whose name starts with {@code prefix}; returns how many. */
  int unfreeze(String prefix);

  /** Writes the parameters to {@code file} atomically (a crash leaves the old file intact). */
  void save(Path file);

  /** Reads parameters written by {@link #save(Path)} into this model. */
  void load(Path file);

  /** A new, untrained model of the same architecture with this configuration (and its seed). */
  TrainableModel newInstance(TrainConfig config);
}
