package dev.groundwork.spark;

import dev.groundwork.core.model.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of this JVM (a driver or an executor): one per {@link ModelSource#key()}, loaded on
 * first use, shared by every task (a {@link Model} is safe to call from several threads), closed
 * by a shutdown hook when the JVM ends.
 */
final class ExecutorModels {
  private static final Map<String, Model> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static boolean hooked;

  private ExecutorModels() {}

  /** The model of {@code source}, loading it the first time in this JVM. */
  static Model get(ModelSource source) {
    Model m = MODELS.get(source.key());
    if (m != null) {
      return m;
    }
    synchronized (ExecutorModels.class) {
      m = MODELS.get(source.key());
      if (m == null) {
        if (!hooked) {
          Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll,
              "groundwork-close-models"));
          hooked = true;
        }
        m = source.load();
        LOADS.incrementAndGet();
        MODELS.put(source.key(), m);
      }
      return m;
    }
  }

  /** How many models this JVM has loaded so far. */
  static int loads() {
    return LOADS.get();
  }

  /** Closes and forgets every model (the shutdown hook; tests). */
  static synchronized void closeAll() {
    List<Model> models = new ArrayList<>(MODELS.values());
    MODELS.clear();
    RuntimeException first = null;
    for (Model m : models) {
      try {
        m.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
