package dev.groundwork.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the engine start did about PyTorch's NNPACK convolution path on this CPU.
 *
 * <p>PyTorch routes a convolution over a batch smaller than 16 with 3×3 kernels to NNPACK when
 * oneDNN is not chosen, and asks NNPACK to start on every such call. On a CPU NNPACK does not
 * support it fails and PyTorch logs {@code Could not initialize NNPACK! Reason: Unsupported
 * hardware.} on the native standard error — once per convolution layer per call, thousands of
 * lines for a runtime profile at batch 1, with no switch in DJL. When the engine starts, {@link
 * DjlRuntime} asks PyTorch (its log quieted for that one call) whether NNPACK started; only if it
 * did not, it switches PyTorch's NNPACK flag off ({@code at::globalContext().setUserEnabledNNPACK
 * (false)}, what {@code torch.backends.nnpack.set_flags(False)} does in Python), so those
 * convolutions take PyTorch's own path directly — the path they took anyway after the failed
 * start — and nothing is printed. Results do not change. On a CPU where NNPACK starts, nothing is
 * changed. The calls go through JNA (a dependency of DJL's api) to the symbols of the
 * {@code libtorch_cpu} and {@code libc10} that DJL loaded.
 *
 * <p>The system property {@code groundwork.djl.nnpack=keep} leaves PyTorch untouched.
 */
public enum Nnpack {
  /** NNPACK started on this CPU; left on. */
  AVAILABLE,
  /** NNPACK cannot start on this CPU; PyTorch's NNPACK flag was switched off (no warning flood). */
  SWITCHED_OFF,
  /** Left as PyTorch has it, as asked with {@code groundwork.djl.nnpack=keep}. */
  KEPT,
  /** Could not be checked (library or symbol not found, or not Linux/x86-64); PyTorch's default. */
  UNKNOWN;

  /** The system property that leaves NNPACK as PyTorch has it when set to {@code keep}. */
  public static final String PROPERTY = "groundwork.djl.nnpack";

  private static final String NNPACK_AVAILABLE = "_ZN2at6native17_nnpack_availableEv";
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_USER_ENABLED_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";
  private static final String USER_ENABLED_NNPACK = "_ZNK2at7Context17userEnabledNNPACKEv";
  private static final String LOG_LEVEL = "FLAGS_caffe2_log_level";
  private static final int LOG_LEVEL_FATAL = 3;

  /**
   * Checks NNPACK once the engine's native libraries are loaded and switches it off where it
   * cannot start. Never throws: anything unexpected leaves PyTorch's default and returns {@link
   * #UNKNOWN}.
   *
   * @param libtorchDir the directory DJL loaded {@code libtorch_cpu} and {@code libc10} from
   */
  static Nnpack configure(String libtorchDir) {
    if ("keep".equals(System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT))) {
      return KEPT;
    }
    try {
      Path dir = Path.of(libtorchDir);
      Path torchCpu = dir.resolve(System.mapLibraryName("torch_cpu"));
      Path c10 = dir.resolve(System.mapLibraryName("c10"));
      if (!Files.isRegularFile(torchCpu) || !Files.isRegularFile(c10)) {
        return UNKNOWN;
      }
      NativeLibrary torch = NativeLibrary.getInstance(torchCpu.toString());
      NativeLibrary c10Library = NativeLibrary.getInstance(c10.toString());
      boolean available;
      Pointer logLevel = c10Library.getGlobalVariableAddress(LOG_LEVEL);
      synchronized (Nnpack.class) {
        int before = logLevel.getInt(0);
        logLevel.setInt(0, LOG_LEVEL_FATAL);
        try {
          available = bool(torch.getFunction(NNPACK_AVAILABLE).invokeInt(new Object[0]));
        } finally {
          logLevel.setInt(0, before);
        }
      }
      if (available) {
        return AVAILABLE;
      }
      Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
      Function enabled = torch.getFunction(USER_ENABLED_NNPACK);
      torch.getFunction(SET_USER_ENABLED_NNPACK).invokeVoid(new Object[] {context, Boolean.FALSE});
      return bool(enabled.invokeInt(new Object[] {context})) ? UNKNOWN : SWITCHED_OFF;
    } catch (RuntimeException | LinkageError e) {
      return UNKNOWN;
    }
  }

  /** A C++ {@code bool} returned in a register: only the low byte is defined. */
  private static boolean bool(int register) {
    return (register & 0xff) != 0;
  }
}
