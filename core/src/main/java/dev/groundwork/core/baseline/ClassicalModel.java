package dev.groundwork.core.baseline;

import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.ModelSummary;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.weights.SafeTensors;
import dev.groundwork.core.weights.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classical model trained in plain Java (no engine): its parameters are plain arrays, so it holds
 * no native memory, and it can be written as a safetensors file.
 *
 * <p>The baselines of a {@link dev.groundwork.core.compare.Scorecard} are classical models: {@link
 * MajorityClass}, {@link SoftmaxRegression} on pixels and the TF-IDF {@link BagOfWords} for text.
 */
public interface ClassicalModel extends Model {

  /** The backend name every classical model reports. */
  String BACKEND = "groundwork plain Java";

  /** The fitted parameters, in a fixed order. */
  List<Tensor> parameterValues();

  /** String state beyond the tensors (e.g. a vocabulary), stored in the file's metadata. */
  default Map<String, String> metadata() {
    return Map.of();
  }

  /** Writes the parameters and metadata as a safetensors file, atomically. */
  default void save(Path file) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("groundwork.model", name());
    meta.putAll(metadata());
    SafeTensors.write(file, meta, parameterValues());
  }

  /** The parameters as a summary; every one counts as trainable (they were fitted). */
  @Override
  default ModelSummary summary() {
    return new ModelSummary(name(), BACKEND, parameterValues().stream()
        .map(t -> new ParameterInfo(t.name(), t.shape(), t.values().length, true)).toList());
  }

  /** Nothing to release: the parameters live on the Java heap. */
  @Override
  default void close() {}
}
