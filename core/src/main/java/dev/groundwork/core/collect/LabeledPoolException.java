package dev.groundwork.core.collect;

import dev.groundwork.core.data.DataException;

/**
 * A pool meant to be unlabelled carries labels: an item's metadata has a label-like key ({@code
 * label}, {@code class}, …). Labelled data belongs in a {@link dev.groundwork.core.data.Dataset};
 * a pool holds what still has to be labelled.
 */
public class LabeledPoolException extends DataException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the pool, the item and the key. */
  public LabeledPoolException(String message, String source, long record) {
    super(message, source, record, null);
  }
}
