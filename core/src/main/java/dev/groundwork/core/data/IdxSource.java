package dev.groundwork.core.data;

import java.util.Locale;

/**
 * Records of an IDX images file paired with an IDX labels file, decoded lazily to [0, 1] floats.
 */
final class IdxSource implements RecordSource, ExactDecoder {

  /** Turns one record's unsigned bytes into floats; replaceable so tests can count decodes. */
  interface PixelDecoder {
    void decode(byte[] data, int from, int length, float[] dst, int offset);

    /** Scales each unsigned byte {@code b} to {@code b / 255f} in [0, 1]. */
    PixelDecoder UNIT_SCALE = (data, from, length, dst, offset) -> {
      float[] table = UnitScale.TABLE;
      for (int i = 0; i < length; i++) {
        dst[offset + i] = table[data[from + i] & 0xff];
      }
    };
  }

  /** {@code b / 255f} for every unsigned byte, so decoding is a table look-up. */
  private static final class UnitScale {
    static final float[] TABLE = new float[256];

    static {
      for (int b = 0; b < 256; b++) {
        TABLE[b] = b / 255f;
      }
    }
  }

  private final IdxFile images;
  private final byte[] labels;
  private final String idPrefix;
  private final int[] originalIndex;
  private final int[] shape;
  private final int recordSize;
  private final PixelDecoder decoder;
  private final String description;

  /**
   * Pairs images with labels.
   *
   * @param originalIndex the index of each record in the published file, used for ids (null: own
   *     index)
   */
  IdxSource(IdxFile images, IdxFile labelFile, String idPrefix, int[] originalIndex,
      PixelDecoder decoder, String description) {
    if (images.count() != labelFile.count()) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "%s has %d images but %s has %d labels; the two files must come from the same set "
              + "(train with train, t10k with t10k)", images.source, images.count(), labelFile.source,
          labelFile.count()), images.source, -1, null);
    }
    if (images.count() == 0) {
      throw new EmptyDatasetException(images.source + " declares 0 images; an IDX dataset needs "
          + "at least one", images.source);
    }
    if (originalIndex != null && originalIndex.length != images.count()) {
      throw new DataFormatException("the id list has " + originalIndex.length + " entries for "
          + images.count() + " images in " + images.source, images.source, -1, null);
    }
    this.images = images;
    this.labels = labelFile.data;
    this.idPrefix = idPrefix;
    this.originalIndex = originalIndex;
    this.recordSize = images.recordSize();
    this.shape = images.dims.length == 3
        ? new int[] {1, images.dims[1], images.dims[2]} : new int[] {recordSize};
    this.decoder = decoder;
    this.description = description;
  }

  int[] shape() {
    return shape.clone();
  }

  /** The IDX labels file's name, for messages. */
  String labelSource() {
    return images.source;
  }

  @Override
  public int size() {
    return images.count();
  }

  @Override
  public String id(int index) {
    int i = originalIndex == null ? index : originalIndex[index];
    String digits = Integer.toString(i);
    return digits.length() >= 5 ? idPrefix + '-' + digits
        : idPrefix + "-00000".substring(0, 6 - digits.length()) + digits;
  }

  @Override
  public int label(int index) {
    return labels[index] & 0xff;
  }

  @Override
  public Input decode(int index) {
    float[] values = new float[recordSize];
    decodeInto(index, values, 0);
    return new TensorInput(values, shape.clone());
  }

  @Override
  public void decodeInto(int index, float[] dst, int offset) {
    decoder.decode(images.data, index * recordSize, recordSize, dst, offset);
  }

  @Override
  public String describe() {
    return description;
  }
}
