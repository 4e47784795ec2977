package dev.groundwork.core.model;

import dev.groundwork.core.InvalidParameterException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a trainable model is trained: optimizer, learning rate, momentum, weight decay, batch size
 * and seed.
 *
 * <pre>{@code
 * TrainConfig cfg = TrainConfig.builder().optimizer(Optimizer.SGD).learningRate(0.05)
 *     .momentum(0.9).batchSize(64).seed(7).build();
 * }</pre>
 *
 * @param optimizer Adam or SGD
 * @param learningRate the initial learning rate, > 0
 * @param momentum SGD momentum in [0, 1)
 * @param weightDecay L2 weight decay ≥ 0
 * @param batchSize examples per step ≥ 1
 * @param seed seeds parameter initialisation and batch order
 */
public record TrainConfig(Optimizer optimizer, double learningRate, double momentum,
    double weightDecay, int batchSize, long seed) {

  /** Checks every value; see {@link Builder#build()}. */
  public TrainConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    InvalidParameterException.check(learningRate > 0 && Double.isFinite(learningRate),
        "learningRate must be a positive finite number, got %s", learningRate);
    InvalidParameterException.check(momentum >= 0 && momentum < 1,
        "momentum must be in [0, 1), got %s", momentum);
    InvalidParameterException.check(weightDecay >= 0 && Double.isFinite(weightDecay),
        "weightDecay must be ≥ 0, got %s", weightDecay);
    InvalidParameterException.check(batchSize >= 1, "batchSize must be ≥ 1, got %d", batchSize);
  }

  /** Adam, learning rate 1e-3, batch 32, seed 42. */
  public static TrainConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder().optimizer(optimizer).learningRate(learningRate).momentum(momentum)
        .weightDecay(weightDecay).batchSize(batchSize).seed(seed);
  }

  /** This configuration with another learning rate. */
  public TrainConfig withLearningRate(double lr) {
    return toBuilder().learningRate(lr).build();
  }

  /** This configuration with another seed. */
  public TrainConfig withSeed(long newSeed) {
    return toBuilder().seed(newSeed).build();
  }

  /** The settings as strings, for provenance. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("optimizer", optimizer.name());
    m.put("learningRate", Double.toString(learningRate));
    m.put("momentum", Double.toString(momentum));
    m.put("weightDecay", Double.toString(weightDecay));
    m.put("batchSize", Integer.toString(batchSize));
    m.put("seed", Long.toString(seed));
    return m;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s lr=%.3g%s wd=%.3g batch=%d seed=%d", optimizer,
        learningRate, optimizer == Optimizer.SGD ? " momentum=" + momentum : "", weightDecay,
        batchSize, seed);
  }

  /** Builds a {@link TrainConfig}; values are checked in {@link #build()}. */
  public static final class Builder {
    private Optimizer optimizer = Optimizer.ADAM;
    private double learningRate = 1e-3;
    private double momentum = 0.9;
    private double weightDecay;
    private int batchSize = 32;
    private long seed = 42;

    private Builder() {}

    /** Adam (default) or SGD. */
    public Builder optimizer(Optimizer value) {
      this.optimizer = value;
      return this;
    }

    /** The learning rate (default 1e-3). */
    public Builder learningRate(double value) {
      this.learningRate = value;
      return this;
    }

    /** SGD momentum (default 0.9). */
    public Builder momentum(double value) {
      this.momentum = value;
      return this;
    }

    /** L2 weight decay (default 0). */
    public Builder weightDecay(double value) {
      this.weightDecay = value;
      return this;
    }

    /** Examples per step (default 32). */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /** The seed (default 42). */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws InvalidParameterException naming the first value out of range
     */
    public TrainConfig build() {
      return new TrainConfig(optimizer, learningRate, momentum, weightDecay, batchSize, seed);
    }
  }
}
