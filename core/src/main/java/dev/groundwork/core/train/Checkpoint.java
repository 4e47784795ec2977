package dev.groundwork.core.train;

import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.Json;
import dev.groundwork.core.model.TrainingState;
import dev.groundwork.core.weights.ChecksumMismatchException;
import dev.groundwork.core.weights.SafeTensors;
import dev.groundwork.core.weights.SafeTensorsFile;
import dev.groundwork.core.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A training checkpoint: the model's full {@link TrainingState} (parameters, optimizer state,
 * frozen set, learning rates) with the position in the run (epoch, step, seed — the batch order of
 * every epoch derives from the seed and the epoch), the fingerprints of the data, the fit settings
 * and the history so far.
 *
 * <p>Stored as a safetensors file (tensors {@code param/<name>} and {@code optim/<slot>/<name>},
 * the rest as JSON in the metadata), so any safetensors reader can open it. A SHA-256 over the
 * state and every tensor is stored beside them and verified on read: a flipped byte is a {@link
 * ChecksumMismatchException}, never a silently different model. Writes are atomic.
 *
 * @param state the model's training state
 * @param epoch the epochs completed
 * @param step the steps completed
 * @param seed the seed of the run
 * @param trainFingerprint the SHA-256 fingerprint of the training data
 * @param validationFingerprint the validation data's fingerprint, empty without one
 * @param baseLearningRate the rate the schedule scales
 * @param settings the fit settings as text (epochs, batch size, schedule, early stopping)
 * @param history the epochs so far
 * @param bestEpoch the best epoch so far (from 1), 0 if none
 * @param bestScore the watched metric at the best epoch, NaN if none
 * @param epochsWithoutImprovement epochs since the best one (early stopping's count)
 * @param backend the backend and engine that wrote it
 */
public record Checkpoint(TrainingState state, int epoch, long step, long seed,
    String trainFingerprint, String validationFingerprint, double baseLearningRate,
    String settings, List<EpochRecord> history, int bestEpoch, double bestScore,
    int epochsWithoutImprovement, String backend) {

  /** The format marker in the file's metadata. */
  public static final String FORMAT = "groundwork-checkpoint/1";

  private static final String PARAM = "param/";
  private static final String OPTIM = "optim/";

  /** Copies the history. */
  public Checkpoint {
    Objects.requireNonNull(state, "state");
    history = List.copyOf(history);
  }

  /** The model's parameter names and shapes, e.g. {@code head_weight [10, 128]}. */
  public List<String> architecture() {
    List<String> out = new ArrayList<>();
    for (Tensor t : state.parameters()) {
      out.add(t.name() + " " + java.util.Arrays.toString(t.shape()));
    }
    return out;
  }

  /** Writes the checkpoint atomically: a crash leaves the previous file intact. */
  public static void write(Path file, Checkpoint c) {
    List<Tensor> tensors = new ArrayList<>();
    for (Tensor t : c.state.parameters()) {
      tensors.add(rename(t, PARAM + t.name()));
    }
    for (Tensor t : c.state.optimizer()) {
      tensors.add(rename(t, OPTIM + t.name()));
    }
    String json = c.stateJson();
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", FORMAT);
    metadata.put("groundwork.state", json);
    metadata.put("groundwork.sha256", digest(json, tensors));
    SafeTensors.write(file, metadata, tensors);
  }

  private static Tensor rename(Tensor t, String name) {
    return Tensor.of(name, t.shape(), t.values());
  }

  /**
   * Reads a checkpoint written by {@link #write(Path, Checkpoint)}.
   *
   * @throws dev.groundwork.core.data.DataNotFoundException if the file does not exist
   * @throws DataFormatException if it is not a Groundwork checkpoint or is damaged
   * @throws ChecksumMismatchException if its content does not match its checksum
   */
  public static Checkpoint read(Path file) {
    String source = file.toAbsolutePath().toString();
    SafeTensorsFile st = SafeTensors.read(file);
    Map<String, String> meta = st.metadata();
    if (!FORMAT.equals(meta.get("format")) || !meta.containsKey("groundwork.state")
        || !meta.containsKey("groundwork.sha256")) {
      throw new DataFormatException(source + " is a safetensors file but not a Groundwork "
          + "checkpoint (its metadata has no format \"" + FORMAT + "\"); to load published "
          + "weights use Pretrained.file(...)", source);
    }
    String json = meta.get("groundwork.state");
    String actual = digest(json, st.tensors());
    if (!actual.equals(meta.get("groundwork.sha256"))) {
      throw new ChecksumMismatchException("checkpoint " + source + " is damaged: its content "
          + "hashes to " + actual + " but it records " + meta.get("groundwork.sha256")
          + "; use an earlier checkpoint", source);
    }
    try {
      return fromJson(json, st.tensors(), source);
    } catch (RuntimeException e) {
      if (e instanceof DataFormatException) {
        throw e;
      }
      throw new DataFormatException("checkpoint " + source + " has unreadable state: " + e
          + "; use an earlier checkpoint", source, -1, e);
    }
  }

  private static String digest(String json, List<Tensor> tensors) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    md.update(json.getBytes(StandardCharsets.UTF_8));
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor t : tensors) {
      md.update(t.name().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      for (int d : t.shape()) {
        buf.putInt(d);
      }
      for (float v : t.values()) {
        if (buf.remaining() < 4) {
          md.update(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putFloat(v);
      }
      md.update(buf.array(), 0, buf.position());
      buf.clear();
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private String stateJson() {
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"model\":").append(JsonText.quote(state.model()));
    sb.append(",\"epoch\":").append(epoch);
    sb.append(",\"step\":").append(step);
    sb.append(",\"seed\":").append(seed);
    sb.append(",\"train_fingerprint\":").append(JsonText.quote(trainFingerprint));
    sb.append(",\"validation_fingerprint\":").append(JsonText.quote(validationFingerprint));
    sb.append(",\"base_learning_rate\":").append(baseLearningRate);
    sb.append(",\"learning_rate\":").append(state.learningRate());
    sb.append(",\"settings\":").append(JsonText.quote(settings));
    sb.append(",\"best_epoch\":").append(bestEpoch);
    sb.append(",\"best_score\":").append(Double.isFinite(bestScore) ? bestScore : "null");
    sb.append(",\"epochs_without_improvement\":").append(epochsWithoutImprovement);
    sb.append(",\"backend\":").append(JsonText.quote(backend));
    sb.append(",\"frozen\":[");
    int i = 0;
    for (String f : state.frozen()) {
      sb.append(i++ == 0 ? "" : ",").append(JsonText.quote(f));
    }
    sb.append("],\"updates\":{");
    i = 0;
    for (Map.Entry<String, Long> e : new java.util.TreeMap<>(state.updates()).entrySet()) {
      sb.append(i++ == 0 ? "" : ",").append(JsonText.quote(e.getKey())).append(':')
          .append(e.getValue());
    }
    sb.append("},\"learning_rate_scales\":{");
    i = 0;
    for (Map.Entry<String, Double> e : new java.util.TreeMap<>(state.learningRateScales())
        .entrySet()) {
      sb.append(i++ == 0 ? "" : ",").append(JsonText.quote(e.getKey())).append(':')
          .append(e.getValue());
    }
    sb.append("},\"history\":[");
    for (int h = 0; h < history.size(); h++) {
      sb.append(h == 0 ? "" : ",").append(history.get(h).toJson());
    }
    return sb.append("]}").toString();
  }

  @SuppressWarnings("unchecked")
  private static Checkpoint fromJson(String json, List<Tensor> tensors, String source) {
    Map<String, Object> m = (Map<String, Object>) new Json(json).document();
    List<Tensor> params = new ArrayList<>();
    List<Tensor> optim = new ArrayList<>();
    for (Tensor t : tensors) {
      if (t.name().startsWith(PARAM)) {
        params.add(rename(t, t.name().substring(PARAM.length())));
      } else if (t.name().startsWith(OPTIM)) {
        optim.add(rename(t, t.name().substring(OPTIM.length())));
      } else {
        throw new DataFormatException("checkpoint " + source + " holds tensor " + t.name()
            + ", which is neither param/ nor optim/; it was not written by Groundwork", source);
      }
    }
    Set<String> frozen = new LinkedHashSet<>();
    for (Object o : (List<Object>) m.get("frozen")) {
      frozen.add((String) o);
    }
    Map<String, Long> updates = new LinkedHashMap<>();
    ((Map<String, Object>) m.get("updates")).forEach((k, v) -> updates.put(k,
        lng(v)));
    Map<String, Double> scales = new LinkedHashMap<>();
    ((Map<String, Object>) m.get("learning_rate_scales")).forEach((k, v) -> scales.put(k,
        num(v)));
    TrainingState state = new TrainingState((String) m.get("model"), params, optim, updates,
        frozen, num(m.get("learning_rate")), scales);
    List<EpochRecord> history = new ArrayList<>();
    for (Object o : (List<Object>) m.get("history")) {
      Map<String, Object> r = (Map<String, Object>) o;
      history.add(new EpochRecord((int) num(r.get("epoch")), num(r.get("train_loss")),
          num(r.get("train_accuracy")), num(r.get("validation_loss")),
          num(r.get("validation_accuracy")), num(r.get("learning_rate")),
          num(r.get("train_seconds")), num(r.get("validation_seconds")),
          num(r.get("examples_per_second"))));
    }
    return new Checkpoint(state, (int) lng(m.get("epoch")), lng(m.get("step")),
        lng(m.get("seed")), (String) m.get("train_fingerprint"),
        (String) m.get("validation_fingerprint"), num(m.get("base_learning_rate")),
        (String) m.get("settings"), history, (int) num(m.get("best_epoch")),
        num(m.get("best_score")), (int) num(m.get("epochs_without_improvement")),
        (String) m.get("backend"));
  }

  private static long lng(Object v) {
    if (v instanceof Json.Num n && n.text().matches("-?\\d+")) {
      return Long.parseLong(n.text());
    }
    throw new IllegalArgumentException("expected an integer, found " + Json.typeName(v));
  }

  private static double num(Object v) {
    if (v == Json.NULL) {
      return Double.NaN;
    }
    if (v instanceof Json.Num n) {
      return n.value();
    }
    throw new IllegalArgumentException("expected a number, found " + Json.typeName(v));
  }

  /**
   * A table: where the run stopped (epoch, step, best epoch and score, patience used), what it
   * belongs to (seed, backend, data fingerprints, settings, model) and its epoch history, one line
   * an epoch.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
        "Checkpoint after epoch %d (step %,d) · best epoch %d (%.4f) · %d epoch%s without "
            + "improvement%n", epoch, step, bestEpoch, bestScore, epochsWithoutImprovement,
        epochsWithoutImprovement == 1 ? "" : "s"));
    sb.append(String.format(java.util.Locale.ROOT, "  %-11s %s · %d parameter tensors%n",
        "model", state.model(), state.parameters().size()));
    sb.append(String.format(java.util.Locale.ROOT, "  %-11s seed %d · backend %s · base lr %s%n",
        "run", seed, backend, baseLearningRate));
    sb.append(String.format(java.util.Locale.ROOT, "  %-11s %s%n", "settings", settings));
    sb.append(String.format(java.util.Locale.ROOT, "  %-11s train %s%s%n", "data",
        trainFingerprint, validationFingerprint.isEmpty() ? ""
            : " · validation " + validationFingerprint));
    for (EpochRecord r : history) {
      sb.append("  ").append(r).append('\n');
    }
    return sb.toString().stripTrailing();
  }
}
