package dev.groundwork.core.analysis;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One metadata attribute of a set of predictions, stored by column: either categorical (an int code
 * per example into a dictionary of values, {@code -1} for missing) or numeric (a double per example,
 * NaN for missing). Immutable after construction; the arrays are never handed out.
 */
final class AttributeColumn {
  final String name;
  /** Categorical codes, {@code -1} = missing; {@code null} for a numeric column. */
  final int[] codes;
  /** Categorical values; {@code null} for a numeric column. */
  final String[] dictionary;
  /** Numeric values, NaN = missing; {@code null} for a categorical column. */
  final double[] numbers;

  private AttributeColumn(String name, int[] codes, String[] dictionary, double[] numbers) {
    this.name = name;
    this.codes = codes;
    this.dictionary = dictionary;
    this.numbers = numbers;
  }

  static AttributeColumn categorical(String name, int[] codes, String[] dictionary) {
    return new AttributeColumn(name, codes, dictionary, null);
  }

  static AttributeColumn numeric(String name, double[] numbers) {
    return new AttributeColumn(name, null, null, numbers);
  }

  /** Encodes string values (null = missing) in order of first appearance. */
  static AttributeColumn ofValues(String name, List<String> values) {
    Builder b = new Builder(name, values.size());
    for (String v : values) {
      b.add(v);
    }
    return b.build();
  }

  boolean isNumeric() {
    return numbers != null;
  }

  int size() {
    return numbers != null ? numbers.length : codes.length;
  }

  /** The value of example {@code i} as text, or {@code null} when missing. */
  String value(int i) {
    if (numbers != null) {
      double v = numbers[i];
      return Double.isNaN(v) ? null : formatNumber(v);
    }
    int c = codes[i];
    return c < 0 ? null : dictionary[c];
  }

  static String formatNumber(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** The column restricted to the given rows, in that order. */
  AttributeColumn select(int[] rows) {
    if (numbers != null) {
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        out[i] = numbers[rows[i]];
      }
      return numeric(name, out);
    }
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = codes[rows[i]];
    }
    return categorical(name, out, dictionary);
  }

  /** Grows a categorical column value by value. */
  static final class Builder {
    private final String name;
    private final Map<String, Integer> index = new HashMap<>();
    private String[] dictionary = new String[8];
    private int[] codes;
    private int size;

    Builder(String name, int capacity) {
      this.name = name;
      this.codes = new int[Math.max(16, capacity)];
    }

    void add(String value) {
      int code = -1;
      if (value != null) {
        Integer c = index.get(value);
        if (c == null) {
          c = index.size();
          index.put(value, c);
          if (c == dictionary.length) {
            dictionary = Arrays.copyOf(dictionary, c * 2);
          }
          dictionary[c] = value;
        }
        code = c;
      }
      if (size == codes.length) {
        codes = Arrays.copyOf(codes, size * 2);
      }
      codes[size++] = code;
    }

    /** Pads with missing values up to {@code n} examples (for attributes first seen late). */
    void padTo(int n) {
      while (size < n) {
        add(null);
      }
    }

    int size() {
      return size;
    }

    AttributeColumn build() {
      return categorical(name, Arrays.copyOf(codes, size), Arrays.copyOf(dictionary, index.size()));
    }
  }
}
