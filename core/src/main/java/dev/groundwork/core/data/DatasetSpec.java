package dev.groundwork.core.data;

import com.google.common.base.Joiner;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a backend needs to build a model for a dataset: the input kind and shape, and the classes.
 *
 * @param inputKind tensor or text
 * @param inputShape shape of one tensor input without the batch dimension (images: C × H × W); empty
 *     for text
 * @param classes the class names; a label is an index into this list
 */
public record DatasetSpec(InputKind inputKind, int[] inputShape, List<String> classes) {

  /** Checks the spec and copies its parts. */
  public DatasetSpec {
    Objects.requireNonNull(inputKind, "inputKind");
    inputShape = inputShape.clone();
    classes = List.copyOf(classes);
    for (int d : inputShape) {
      if (d <= 0) {
        throw new IllegalArgumentException("input shape has a non-positive dimension: "
            + Arrays.toString(inputShape));
      }
    }
    if (inputKind == InputKind.TENSOR && inputShape.length == 0) {
      throw new IllegalArgumentException("a tensor dataset needs an input shape");
    }
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("a dataset spec needs at least one class");
    }
    if (classes.stream().distinct().count() != classes.size()) {
      throw new IllegalArgumentException("class names must be unique: " + classes);
    }
  }

  /** A spec for images of {@code channels × height × width}. */
  public static DatasetSpec image(int channels, int height, int width, List<String> classes) {
    return new DatasetSpec(InputKind.TENSOR, new int[] {channels, height, width}, classes);
  }

  /** A spec for texts. */
  public static DatasetSpec text(List<String> classes) {
    return new DatasetSpec(InputKind.TEXT, new int[0], classes);
  }

  /** A spec for feature vectors of length {@code features}. */
  public static DatasetSpec features(int features, List<String> classes) {
    return new DatasetSpec(InputKind.TENSOR, new int[] {features}, classes);
  }

  /** The shape of one input (a copy). */
  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** The number of classes. */
  public int numClasses() {
    return classes.size();
  }

  /** The number of floats in one tensor input (1 for text). */
  public int inputSize() {
    return (int) elementCount(inputShape);
  }

  /** Whether a shape equals this spec's input shape. */
  public boolean matchesShape(int[] shape) {
    return Arrays.equals(inputShape, shape);
  }

  /** The spec with other classes (same input). */
  public DatasetSpec withClasses(List<String> newClasses) {
    return new DatasetSpec(inputKind, inputShape, newClasses);
  }

  /** The spec with another input shape (same kind and classes). */
  public DatasetSpec withInputShape(int[] shape) {
    return new DatasetSpec(inputKind, shape, classes);
  }

  static long elementCount(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatasetSpec s
        && inputKind == s.inputKind
        && Arrays.equals(inputShape, s.inputShape)
        && classes.equals(s.classes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputKind, Arrays.hashCode(inputShape), classes);
  }

  @Override
  public String toString() {
    String input = inputKind == InputKind.TEXT ? "text" : Joiner.on('×').join(
        Arrays.stream(inputShape).boxed().iterator());
    return input + " → " + classes.size() + " classes " + classes;
  }
}
