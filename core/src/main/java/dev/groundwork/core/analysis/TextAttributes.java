package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.TextInput;

/**
 * Text attributes added to predictions as numeric metadata, so that slices (and runtime by slice)
 * see long and short texts: {@code text.chars}, the length in Unicode code points, and {@code
 * text.words}, the number of whitespace-separated tokens.
 *
 * <pre>{@code
 * var p = TextAttributes.addTo(ClassificationPredictions.fromDataset(test, probs), test);
 * }</pre>
 */
public final class TextAttributes {

  /** The name of the length attribute (code points). */
  public static final String CHARS = "text.chars";
  /** The name of the token-count attribute (whitespace-separated). */
  public static final String WORDS = "text.words";

  private TextAttributes() {}

  /**
   * The predictions with {@code text.chars} and {@code text.words} of {@code texts}, which must
   * hold the same examples in the same order.
   *
   * @throws InvalidParameterException if the sizes or ids differ or an input is not text
   */
  public static ClassificationPredictions addTo(ClassificationPredictions p, Dataset texts) {
    InvalidParameterException.check(texts.size() == p.size(),
        "the dataset has %s examples but the predictions %s", texts.size(), p.size());
    double[] chars = new double[p.size()];
    double[] words = new double[p.size()];
    for (int i = 0; i < p.size(); i++) {
      InvalidParameterException.check(texts.id(i).equals(p.id(i)),
          "example %s of the dataset is '%s' but of the predictions '%s'; align them first", i,
          texts.id(i), p.id(i));
      Input in = texts.input(i);
      if (!(in instanceof TextInput t)) {
        throw new InvalidParameterException("example " + texts.id(i) + " of " + texts.name()
            + " is not a text input: " + in);
      }
      String s = t.text();
      chars[i] = s.codePointCount(0, s.length());
      String trimmed = s.strip();
      words[i] = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
    return p.withNumericAttribute(CHARS, chars).withNumericAttribute(WORDS, words);
  }
}
