package dev.groundwork.core.data;

import java.util.Map;

/**
 * Random access to the records of one data source; what a loader implements.
 *
 * <p>Ids, labels and metadata are cheap to read; {@link #decode(int)} does the work of turning the
 * stored bytes into an {@link Input} and is called only for the examples that are touched.
 * Implementations must be safe to read from several threads. Wrap one into a dataset with {@link
 * Dataset#of(String, DatasetSpec, RecordSource)}.
 */
public interface RecordSource {

  /** The number of records. */
  int size();

  /** The stable id of record {@code index}. */
  String id(int index);

  /** The class index of record {@code index}. */
  int label(int index);

  /** Decodes the input of record {@code index}; may throw a {@link DataException} naming it. */
  Input decode(int index);

  /** The metadata of record {@code index}; empty by default. */
  default Map<String, String> metadata(int index) {
    return Map.of();
  }

  /**
   * Decodes a tensor record straight into {@code dst} at {@code offset}; the default decodes and
   * copies, a loader overrides it to skip the intermediate array.
   */
  default void decodeInto(int index, float[] dst, int offset) {
    Input in = decode(index);
    if (in instanceof TensorInput t && t.values().length > dst.length - offset) {
      throw new DataFormatException(describe() + ": record " + index + " (id " + id(index)
          + ") decodes to " + t.values().length + " values, more than the input size",
          describe(), index, null);
    }
    if (!(in instanceof TensorInput t)) {
      throw new DataFormatException(describe() + ": record " + index + " (id " + id(index)
          + ") is " + (in == null ? "null" : "a " + in.kind() + " input") + ", not a tensor",
          describe(), index,
          null);
    }
    System.arraycopy(t.values(), 0, dst, offset, t.values().length);
  }

  /** Where the records come from (a file, a directory, a resource), for messages and summaries. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
