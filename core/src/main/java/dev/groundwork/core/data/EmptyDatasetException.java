package dev.groundwork.core.data;

/** A dataset (or a split, sample or filter result) has no examples where at least one is needed. */
public class EmptyDatasetException extends DataException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the dataset and how it became empty. */
  public EmptyDatasetException(String message, String source) {
    super(message, source);
  }
}
