package dev.groundwork.core.weights;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Maps the tensor names of a weights file to the model's parameter names, e.g. PyTorch's {@code
 * features.0.weight} to {@code backbone_conv1_weight}. A name mapped to the empty string is
 * dropped (reported as skipped, never loaded).
 *
 * <pre>{@code
 * NameMapping m = NameMapping.of(Map.of("features.0.weight", "backbone_conv1_weight"))
 *     .andThen(NameMapping.replace("\\.", "_"));
 * }</pre>
 */
@FunctionalInterface
public interface NameMapping {

  /** The model's name for a file's tensor name ({@code ""} to drop it). */
  String map(String fileName);

  /** Names as they are. */
  static NameMapping identity() {
    return name -> name;
  }

  /** Names listed in {@code table} are replaced; the others pass unchanged. */
  static NameMapping of(Map<String, String> table) {
    Map<String, String> copy = Map.copyOf(table);
    return name -> copy.getOrDefault(name, name);
  }

  /** Every match of {@code regex} replaced by {@code replacement} (Java regex syntax). */
  static NameMapping replace(String regex, String replacement) {
    Pattern p = Pattern.compile(regex);
    Objects.requireNonNull(replacement, "replacement");
    return name -> p.matcher(name).replaceAll(replacement);
  }

  /** This mapping, then {@code next} on its result (dropped names stay dropped). */
  default NameMapping andThen(NameMapping next) {
    Objects.requireNonNull(next, "next");
    return name -> {
      String mid = map(name);
      return mid.isEmpty() ? mid : next.map(mid);
    };
  }
}
