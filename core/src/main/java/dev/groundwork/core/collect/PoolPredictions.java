package dev.groundwork.core.collect;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataFormatException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's predictions on an {@link UnlabeledPool}: class probabilities per item, in pool order,
 * and optionally an embedding per item (the space in which nearness to failures and diversity are
 * measured).
 */
public final class PoolPredictions {

  private final UnlabeledPool pool;
  private final float[] probs;
  private final int classes;
  private final String model;
  private final float[] embeddings;
  private final int dim;

  private PoolPredictions(UnlabeledPool pool, float[] probs, int classes, String model,
      float[] embeddings, int dim) {
    this.pool = pool;
    this.probs = probs;
    this.classes = classes;
    this.model = model;
    this.embeddings = embeddings;
    this.dim = dim;
  }

  /**
   * Probabilities ({@code pool.size() × classes}, row-major) from the model named {@code model}.
   *
   * @throws DataFormatException if the array does not hold one finite row per item
   */
  public static PoolPredictions of(UnlabeledPool pool, float[] probs, String model) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(probs, "probs");
    Objects.requireNonNull(model, "model");
    int c = pool.spec().numClasses();
    if ((long) pool.size() * c != probs.length) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "pool %s: %d probabilities are not %d items × %d classes; predict every item of the "
              + "pool", pool.name(), probs.length, pool.size(), c), pool.name(), -1, null);
    }
    for (int i = 0; i < probs.length; i++) {
      if (!Float.isFinite(probs[i])) {
        throw new DataFormatException(String.format(Locale.ROOT,
            "pool %s: item %d (id %s) has a probability %s; probabilities must be finite",
            pool.name(), i / c, pool.id(i / c), probs[i]), pool.name(), i / c, null);
      }
    }
    return new PoolPredictions(pool, probs.clone(), c, model, null, 0);
  }

  /**
   * The same predictions with an embedding per item ({@code size × dim}, row-major).
   *
   * @throws DataFormatException if the array does not hold one finite row per item
   */
  public PoolPredictions withEmbeddings(float[] values, int dim) {
    Objects.requireNonNull(values, "values");
    InvalidParameterException.check(dim > 0, "embedding dim must be positive, got %d", dim);
    if ((long) dim * pool.size() != values.length) {
      throw new DataFormatException(String.format(Locale.ROOT,
          "pool %s: %d embedding values are not %d items × %d dims", pool.name(), values.length,
          pool.size(), dim), pool.name(), -1, null);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new DataFormatException(String.format(Locale.ROOT,
            "pool %s: item %d (id %s) has an embedding value %s at dimension %d; embeddings "
                + "must be finite", pool.name(), i / dim, pool.id(i / dim), values[i], i % dim),
            pool.name(), i / dim, null);
      }
    }
    return new PoolPredictions(pool, probs, classes, model, values.clone(), dim);
  }

  /** The pool predicted. */
  public UnlabeledPool pool() {
    return pool;
  }

  /** The name of the model that predicted. */
  public String model() {
    return model;
  }

  /** The number of classes. */
  public int numClasses() {
    return classes;
  }

  /** The probabilities, {@code size × classes} row-major (not copied: do not modify). */
  float[] probabilitiesShared() {
    return probs;
  }

  /** A copy of the probabilities. */
  public float[] probabilities() {
    return probs.clone();
  }

  /** The embeddings, if given (not copied). */
  Optional<float[]> embeddingsShared() {
    return Optional.ofNullable(embeddings);
  }

  /** The embedding dimension, 0 without embeddings. */
  public int embeddingDim() {
    return dim;
  }

  /** Whether the predictions carry embeddings. */
  public boolean hasEmbeddings() {
    return embeddings != null;
  }

  /** One line: the model, the pool, and what was predicted per item. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "PoolPredictions of %s on %s: %,d items × %d "
        + "classes%s", model, pool.name(), pool.size(), classes,
        hasEmbeddings() ? ", embeddings of " + dim : ", no embeddings");
  }
}
