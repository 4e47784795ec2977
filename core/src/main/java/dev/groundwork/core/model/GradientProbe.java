package dev.groundwork.core.model;

import dev.groundwork.core.data.Batch;

/**
 * An optional ability of a trainable model: gradients with respect to the inputs, used by the
 * overfit check's batch-independence test. Backends that can compute them implement it; the check
 * is skipped for the others.
 */
public interface GradientProbe {

  /**
   * Tests whether example {@code example}'s loss depends on the other examples' inputs. Leaves the
   * model's parameters, running statistics and gradients as they were.
   *
   * @throws dev.groundwork.core.InvalidParameterException if the batch does not fit the model or
   *     {@code example} is outside it
   */
  BatchIndependence batchIndependence(Batch batch, int example);
}
