package dev.groundwork.onnx;

import java.util.Locale;

/**
 * What a tokenizer has done so far: texts seen, how many were cut to the maximum length, and tokens.
 *
 * @param texts the texts tokenized
 * @param truncated how many of them were longer than {@code maxLength} tokens and were cut
 * @param tokens the tokens produced, after truncation, special tokens included
 * @param maxLength the maximum number of tokens per text
 */
public record TokenizationReport(long texts, long truncated, long tokens, int maxLength) {

  /** The share of texts that were cut, in [0, 1]. */
  public double truncatedFraction() {
    return texts == 0 ? 0 : (double) truncated / texts;
  }

  /** The mean number of tokens per text. */
  public double meanTokens() {
    return texts == 0 ? 0 : (double) tokens / texts;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%,d texts, %,d truncated to %d tokens (%.1f%%), %.1f tokens "
        + "per text", texts, truncated, maxLength, 100 * truncatedFraction(), meanTokens());
  }
}
