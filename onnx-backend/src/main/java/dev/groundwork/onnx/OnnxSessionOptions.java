package dev.groundwork.onnx;

import dev.groundwork.core.InvalidParameterException;
import java.util.Locale;
import java.util.Objects;

/**
 * How ONNX Runtime runs a model: intra-op threads, graph optimization level and execution mode.
 *
 * <pre>{@code
 * OnnxModel m = OnnxModels.load(path, new OnnxSessionOptions(2, GraphOptimization.ALL,
 *     ExecutionMode.SEQUENTIAL));
 * }</pre>
 *
 * @param intraOpThreads threads used inside one operator; 0 lets ONNX Runtime choose (one per core)
 * @param optimization how far ONNX Runtime rewrites the graph before running it
 * @param executionMode whether independent branches of the graph run one after another or at once
 */
public record OnnxSessionOptions(int intraOpThreads, GraphOptimization optimization,
    ExecutionMode executionMode) {

  /** Graph rewrites before running, as in ONNX Runtime's levels. */
  public enum GraphOptimization {
    /** No rewrite. */
    NONE,
    /** Constant folding and redundant node removal. */
    BASIC,
    /** Basic plus node fusions. */
    EXTENDED,
    /** Every rewrite ONNX Runtime has, including layout changes (its default). */
    ALL
  }

  /** How nodes of the graph are scheduled. */
  public enum ExecutionMode {
    /** One node at a time (ONNX Runtime's default). */
    SEQUENTIAL,
    /** Independent branches at once, on the inter-op thread pool. */
    PARALLEL
  }

  /** Checks the values. */
  public OnnxSessionOptions {
    InvalidParameterException.check(intraOpThreads >= 0,
        "intraOpThreads must be ≥ 0 (0 = ONNX Runtime's choice), got %d", intraOpThreads);
    Objects.requireNonNull(optimization, "optimization");
    Objects.requireNonNull(executionMode, "executionMode");
  }

  /** ONNX Runtime's defaults: its own thread count, every optimization, sequential. */
  public static OnnxSessionOptions defaults() {
    return new OnnxSessionOptions(0, GraphOptimization.ALL, ExecutionMode.SEQUENTIAL);
  }

  /** These options with another intra-op thread count. */
  public OnnxSessionOptions withIntraOpThreads(int threads) {
    return new OnnxSessionOptions(threads, optimization, executionMode);
  }

  /** These options with another optimization level. */
  public OnnxSessionOptions withOptimization(GraphOptimization level) {
    return new OnnxSessionOptions(intraOpThreads, level, executionMode);
  }

  /** These options with another execution mode. */
  public OnnxSessionOptions withExecutionMode(ExecutionMode mode) {
    return new OnnxSessionOptions(intraOpThreads, optimization, mode);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "threads=%s optimization=%s mode=%s",
        intraOpThreads == 0 ? "auto" : Integer.toString(intraOpThreads), optimization,
        executionMode);
  }
}
