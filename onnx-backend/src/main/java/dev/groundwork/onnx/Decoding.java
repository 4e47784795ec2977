package dev.groundwork.onnx;

import java.util.List;

/** Output choice and the numeric decoding shared by the adapters. */
final class Decoding {

  private Decoding() {}

  /**
   * The output named in the options, or the model's only output.
   *
   * @throws OnnxInputException naming the model and its outputs
   */
  static OnnxTensorInfo output(OnnxModel m, OnnxOptions o, String purpose) {
    List<OnnxTensorInfo> outs = m.outputs();
    OnnxTensorInfo out;
    if (o.output().isPresent()) {
      out = m.output(o.output().get()).orElseThrow(() -> new OnnxInputException(m.name(),
          "model " + m.name() + " has no output '" + o.output().get() + "'; its outputs are "
              + InputPlan.names(outs)));
    } else if (outs.size() == 1) {
      out = outs.get(0);
    } else {
      throw new OnnxInputException(m.name(), "model " + m.name() + " has " + outs.size()
          + " outputs " + InputPlan.names(outs) + "; say which one holds the " + purpose
          + " with output(name)");
    }
    if (!out.isFloat()) {
      throw new OnnxInputException(m.name(), "output '" + out.name() + "' of " + m.name()
          + " holds " + out.type() + " values, but " + purpose + " are floats; pick a float output "
          + "from " + InputPlan.names(outs));
    }
    return out;
  }

  /** The number of values per example when every non-batch dimension is fixed, else -1. */
  static long staticRowSize(OnnxTensorInfo t) {
    long[] s = t.shape();
    if (s.length == 0) {
      return -1;
    }
    long n = 1;
    for (int i = 1; i < s.length; i++) {
      if (s[i] < 0) {
        return -1;
      }
      n *= s[i];
    }
    return n;
  }

  /** Rows of scores as probabilities: softmax for logits, as is for probabilities. */
  static float[] probabilities(float[] scores, int rows, int classes, OnnxOptions.Scores kind) {
    boolean probs = switch (kind) {
      case LOGITS -> false;
      case PROBABILITIES -> true;
      case AUTO -> areProbabilities(scores, rows, classes);
    };
    if (probs) {
      return scores.clone();
    }
    float[] out = new float[scores.length];
    for (int r = 0; r < rows; r++) {
      softmax(scores, r * classes, classes, out);
    }
    return out;
  }

  /** Whether every row is non-negative and sums to 1 within 1e-3. */
  static boolean areProbabilities(float[] v, int rows, int classes) {
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        float x = v[r * classes + c];
        if (!(x >= 0 && x <= 1)) {
          return false;
        }
        sum += x;
      }
      if (Math.abs(sum - 1) > 1e-3) {
        return false;
      }
    }
    return true;
  }

  /** Softmax of {@code v[from, from + n)} into {@code out} at the same place. */
  static void softmax(float[] v, int from, int n, float[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      max = Math.max(max, v[from + c]);
    }
    double sum = 0;
    for (int c = 0; c < n; c++) {
      double e = Math.exp(v[from + c] - max);
      out[from + c] = (float) e;
      sum += e;
    }
    for (int c = 0; c < n; c++) {
      out[from + c] = (float) (out[from + c] / sum);
    }
  }
}
