package dev.groundwork.core.model;

import dev.groundwork.core.GroundworkException;
import java.util.List;

/**
 * A training step whose loss or gradients are not finite numbers. The step did not update the
 * weights; the message names the batch's examples, so the bad inputs or the learning rate can be
 * found.
 */
public class NonFiniteLossException extends GroundworkException {
  private static final long serialVersionUID = 1L;

  private final List<String> ids;

  /** Names the model, where it happened and the batch's example ids. */
  public NonFiniteLossException(String message, List<String> ids) {
    super(message);
    this.ids = List.copyOf(ids);
  }

  /** The ids of the batch's examples. */
  public List<String> ids() {
    return ids;
  }

  /** The first ids of a batch for a message: all of them up to 8, else 8 and an ellipsis. */
  public static String preview(List<String> ids) {
    return ids.size() <= 8 ? ids.toString() : ids.subList(0, 8) + "…";
  }

  /** {@value #HELP}: a training step whose loss is NaN or infinite */
  public static final String HELP = "docs/troubleshooting.md#non-finite-loss";

  @Override
  public java.util.Optional<String> troubleshooting() {
    return java.util.Optional.of(HELP);
  }
}
