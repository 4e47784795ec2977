package dev.groundwork.core.model;

import dev.groundwork.core.data.Batch;
import dev.groundwork.core.weights.Tensor;
import java.nio.file.Path;
import java.util.Collection;
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

  /**
   * Multiplies the learning rate of the parameters whose name starts with {@code prefix} by
   * {@code factor} (relative to the model's learning rate; a later call replaces it), e.g. {@code
   * scaleLearningRate("backbone", 0.1)} for discriminative learning rates; returns how many.
   *
   * @throws dev.groundwork.core.InvalidParameterException if no parameter matches or the factor
   *     is not a positive finite number
   */
  int scaleLearningRate(String prefix, double factor);

  /** The current values of every parameter, trainable or not, in {@link #parameters()} order. */
  List<Tensor> parameterValues();

  /**
   * Assigns parameter values by name, all or nothing: every tensor must name a parameter of this
   * model and have its shape; parameters not named keep their values.
   *
   * @throws dev.groundwork.core.InvalidParameterException naming each unknown name or shape
   *     mismatch; the model is then unchanged
   */
  void assignParameters(Collection<Tensor> values);

  /** The full training state (parameters, optimizer state, frozen set, learning rates). */
  TrainingState trainingState();

  /**
   * Restores a state taken from a model of the same architecture, so that training continues
   * exactly as it would have.
   *
   * @throws dev.groundwork.core.InvalidParameterException if the state's parameters or optimizer
   *     slots do not fit this model; the model is then unchanged
   */
  void restore(TrainingState state);
}
