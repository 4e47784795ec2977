package dev.groundwork.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import dev.groundwork.core.GroundworkException;

/**
 * Starts DJL's PyTorch engine offline: no download at run time and no usage tracking.
 *
 * <p>Before the engine is first loaded, {@link #engine()} sets the system properties {@code
 * ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} unless the user has set them; the native
 * library then comes from the {@code ai.djl.pytorch:pytorch-native-cpu} jar on the classpath.
 * Once started, NNPACK is switched off if it cannot start on this CPU ({@link Nnpack}).
 */
public final class DjlRuntime {

  /** DJL's name of the PyTorch engine. */
  public static final String ENGINE = "PyTorch";

  private static volatile int intraOpThreads;
  private static volatile Nnpack nnpack;

  private DjlRuntime() {}

  /**
   * The intra-op threads used for training and large batches: PyTorch's default when the engine
   * started (the number of cores), unless set with {@link #intraOpThreads(int)}.
   */
  public static int intraOpThreads() {
    if (intraOpThreads == 0) {
      engine();
    }
    return intraOpThreads;
  }

  /** Sets the intra-op threads for training and large batches (small batches always use one). */
  public static void intraOpThreads(int threads) {
    dev.groundwork.core.InvalidParameterException.check(threads >= 1,
        "intra-op threads must be at least 1, got %d", threads);
    intraOpThreads = threads;
  }

  /**
   * What the engine start did about PyTorch's NNPACK path on this CPU (see {@link Nnpack}): on a
   * CPU where NNPACK cannot start it is switched off, so that small-batch convolutions do not log
   * a warning each.
   */
  public static Nnpack nnpack() {
    engine();
    return nnpack;
  }

  /**
   * The PyTorch engine, started offline on first call.
   *
   * @throws GroundworkException if the engine cannot start, with the jars to check
   */
  public static Engine engine() {
    configureOffline();
    try {
      Engine engine = Engine.getEngine(ENGINE);
      if (nnpack == null) {
        synchronized (DjlRuntime.class) {
          if (nnpack == null) {
            nnpack = Nnpack.configure(ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
          }
        }
      }
      if (intraOpThreads == 0) {
        synchronized (DjlRuntime.class) {
          if (intraOpThreads == 0) {
            // read before any thread changes it: single-example predictions set their calling
            // thread to one intra-op thread
            intraOpThreads = Math.max(1, ai.djl.pytorch.jni.JniUtils.getNumThreads());
          }
        }
      }
      return engine;
    } catch (EngineException | IllegalArgumentException e) {
      throw new GroundworkException("DJL's PyTorch engine did not start offline: " + e.getMessage()
          + "; the classpath needs ai.djl.pytorch:pytorch-engine, ai.djl.pytorch:pytorch-jni and "
          + "ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64)", e);
    }
  }

  /** Sets DJL's offline and no-tracking properties unless already set. */
  static void configureOffline() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
