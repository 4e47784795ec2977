package dev.groundwork.core.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of one safetensors file read by {@link SafeTensors#read}: its tensors as float32 in
 * header order, and its {@code __metadata__} strings.
 *
 * <pre>{@code
 * SafeTensorsFile f = SafeTensors.read(Path.of("model.safetensors"));
 * float[] w = f.get("backbone_fc1_weight").orElseThrow().values();
 * }</pre>
 */
public final class SafeTensorsFile {
  private static final int MAX_LISTED = 20;

  private final String source;
  private final Map<String, String> metadata;
  private final List<Tensor> tensors;
  private final Map<String, Tensor> byName;

  SafeTensorsFile(String source, Map<String, String> metadata, List<Tensor> tensors) {
    this.source = source;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.tensors = List.copyOf(tensors);
    Map<String, Tensor> index = new LinkedHashMap<>();
    tensors.forEach(t -> index.put(t.name(), t));
    this.byName = index;
  }

  /** The file (absolute path) or the name given for the bytes. */
  public String source() {
    return source;
  }

  /** The tensors in the order the header lists them. */
  public List<Tensor> tensors() {
    return tensors;
  }

  /** The {@code __metadata__} entries in header order; empty when the file has none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor called {@code name}, if the file has one. */
  public Optional<Tensor> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The source, then one line per tensor (the first 20). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(source).append(": ").append(tensors.size())
        .append(tensors.size() == 1 ? " tensor" : " tensors");
    tensors.stream().limit(MAX_LISTED).forEach(t -> sb.append("\n  ").append(t));
    if (tensors.size() > MAX_LISTED) {
      sb.append("\n  … and ").append(tensors.size() - MAX_LISTED).append(" more");
    }
    return sb.toString();
  }
}
