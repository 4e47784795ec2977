package dev.groundwork.core.weights;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.DataNotFoundException;
import dev.groundwork.core.model.ParameterInfo;
import dev.groundwork.core.model.TrainableModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Published or saved weights to load into a model: a file, a directory holding one weights file, or
 * a classpath resource (e.g. inside a jar), with an optional SHA-256 that must match, a name
 * mapping and a load policy. Loading returns a {@link WeightLoadReport}.
 *
 * <pre>{@code
 * WeightLoadReport r = Pretrained.file(Path.of("small-cnn.safetensors"))
 *     .sha256("81b51fa4...").rename(NameMapping.of(torchNames))
 *     .policy(LoadPolicy.MATCHING).loadInto(model);
 * }</pre>
 *
 * <p>The format is found from the file name and first bytes among the {@link WeightReader}s on the
 * classpath: safetensors (core), Groundwork DJL parameter files (djl-backend), ONNX initializers
 * (onnx-backend). Values that are not finite are refused, naming the tensor.
 */
public final class Pretrained {

  /** Weight files larger than this are refused before reading (2 GiB, a Java array's limit). */
  public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private final String description;
  private final Path file;
  private final ClassLoader loader;
  private final String resource;
  private final String sha256;
  private final String format;
  private final NameMapping mapping;
  private final LoadPolicy policy;

  private Pretrained(String description, Path file, ClassLoader loader, String resource,
      String sha256, String format, NameMapping mapping, LoadPolicy policy) {
    this.description = description;
    this.file = file;
    this.loader = loader;
    this.resource = resource;
    this.sha256 = sha256;
    this.format = format;
    this.mapping = mapping;
    this.policy = policy;
  }

  /** Weights in a file. */
  public static Pretrained file(Path path) {
    Objects.requireNonNull(path, "path");
    return new Pretrained(path.toAbsolutePath().toString(), path, null, null, null, null,
        NameMapping.identity(), LoadPolicy.STRICT);
  }

  /**
   * The one weights file in a directory: {@code model.safetensors} if present, else the single
   * file ending {@code .safetensors}, {@code .params} or {@code .onnx}.
   *
   * @throws DataNotFoundException if the directory does not exist or holds no such file
   * @throws DataFormatException if it holds several candidates (name the file instead)
   */
  public static Pretrained directory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    String source = dir.toAbsolutePath().toString();
    if (!Files.isDirectory(dir)) {
      throw new DataNotFoundException("weights directory " + source + " does not exist", source,
          null);
    }
    Path preferred = dir.resolve("model.safetensors");
    if (Files.isRegularFile(preferred)) {
      return file(preferred);
    }
    List<Path> candidates;
    try (Stream<Path> s = Files.list(dir)) {
      candidates = s.filter(Files::isRegularFile).filter(p -> {
        String n = p.getFileName().toString();
        return n.endsWith(".safetensors") || n.endsWith(".params") || n.endsWith(".onnx");
      }).sorted().toList();
    } catch (IOException e) {
      throw new DataNotFoundException("cannot list weights directory " + source + ": " + e, source,
          e);
    }
    if (candidates.isEmpty()) {
      throw new DataNotFoundException("weights directory " + source + " holds no .safetensors, "
          + ".params or .onnx file", source, null);
    }
    if (candidates.size() > 1) {
      throw new DataFormatException("weights directory " + source + " holds several weights "
          + "files " + candidates.stream().map(p -> p.getFileName().toString()).toList()
          + "; name one with Pretrained.file(...)", source);
    }
    return file(candidates.get(0));
  }

  /** A classpath resource (e.g. shipped in a jar), found with this class's loader. */
  public static Pretrained classpath(String resource) {
    return classpath(Pretrained.class.getClassLoader(), resource);
  }

  /** A classpath resource found with {@code loader}. */
  public static Pretrained classpath(ClassLoader loader, String resource) {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(resource, "resource");
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    return new Pretrained("classpath:" + name, null, loader, name, null, null,
        NameMapping.identity(), LoadPolicy.STRICT);
  }

  /** The SHA-256 the bytes must have (64 hex digits); a mismatch is an error, never a warning. */
  public Pretrained sha256(String hex) {
    Objects.requireNonNull(hex, "hex");
    InvalidParameterException.check(hex.matches("[0-9a-fA-F]{64}"),
        "a SHA-256 is 64 hex digits, got '%s'", hex);
    return new Pretrained(description, file, loader, resource, hex.toLowerCase(Locale.ROOT),
        format, mapping, policy);
  }

  /** Reads with the reader of this format name instead of detecting it. */
  public Pretrained format(String name) {
    Objects.requireNonNull(name, "name");
    return new Pretrained(description, file, loader, resource, sha256, name, mapping, policy);
  }

  /** Maps the file's tensor names to the model's, after any mapping given before. */
  public Pretrained rename(NameMapping nameMapping) {
    Objects.requireNonNull(nameMapping, "nameMapping");
    return new Pretrained(description, file, loader, resource, sha256, format,
        mapping.andThen(nameMapping), policy);
  }

  /**
   * Saves a model's parameters as a safetensors file (atomically), with the model's name in the
   * metadata, and returns it as a source with its SHA-256 set — to fine-tune from later or to
   * load in PyTorch ({@code safetensors.torch.load_file}).
   */
  public static Pretrained save(TrainableModel model, Path file) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(file, "file");
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("groundwork.model", model.name());
    metadata.put("groundwork.backend", model.summary().backend());
    SafeTensors.write(file, metadata, model.parameterValues());
    try {
      return file(file).sha256(hex(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new DataNotFoundException("cannot read back " + file + ": " + e, file.toString(), e);
    }
  }

  /** Strict (default) or matching; see {@link LoadPolicy}. */
  public Pretrained policy(LoadPolicy loadPolicy) {
    Objects.requireNonNull(loadPolicy, "loadPolicy");
    return new Pretrained(description, file, loader, resource, sha256, format, mapping,
        loadPolicy);
  }

  /** Where the weights come from. */
  public String source() {
    return description;
  }

  /**
   * The file's bytes, verified against the expected SHA-256 if one was given.
   *
   * @throws DataNotFoundException if the file or resource does not exist
   * @throws ChecksumMismatchException if the SHA-256 differs
   */
  public byte[] bytes() {
    byte[] bytes = readAll();
    String actual = hex(bytes);
    if (sha256 != null && !sha256.equals(actual)) {
      throw new ChecksumMismatchException("weights " + description + " have SHA-256 " + actual
          + " but " + sha256 + " was expected; the file is damaged or not the one intended — "
          + "fetch it again or correct the checksum", description);
    }
    return bytes;
  }

  private byte[] readAll() {
    if (file != null) {
      if (!Files.exists(file)) {
        throw new DataNotFoundException("weights file " + description + " does not exist",
            description, null);
      }
      if (!Files.isRegularFile(file)) {
        throw new DataFormatException("weights " + description + " is not a regular file (a "
            + "directory, FIFO or device); give a weights file or use Pretrained.directory",
            description);
      }
      try {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
          throw new DataFormatException("weights file " + description + " is " + size
              + " bytes, more than the " + MAX_BYTES + " one load can hold", description);
        }
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new DataNotFoundException("cannot read weights file " + description + ": " + e,
            description, e);
      }
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new DataNotFoundException("no classpath resource " + resource + "; check the "
            + "path (no leading slash needed) and that its jar is on the classpath", description,
            null);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DataNotFoundException("cannot read " + description + ": " + e, description, e);
    }
  }

  private static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The readers on the classpath, by format name. */
  public static Map<String, WeightReader> readers() {
    Map<String, WeightReader> out = new LinkedHashMap<>();
    for (WeightReader r : ServiceLoader.load(WeightReader.class, Pretrained.class
        .getClassLoader())) {
      out.putIfAbsent(r.format(), r);
    }
    return out;
  }

  private WeightReader reader(byte[] bytes) {
    Map<String, WeightReader> readers = readers();
    if (format != null) {
      WeightReader r = readers.get(format);
      if (r == null) {
        throw new InvalidParameterException("no weights reader for format '" + format
            + "' on the classpath; the readers are " + readers.keySet() + " (the DJL and ONNX "
            + "formats come with groundwork-djl-backend and groundwork-onnx-backend)");
      }
      return r;
    }
    byte[] head = Arrays.copyOf(bytes, Math.min(64, bytes.length));
    String name = description.substring(description.lastIndexOf('/') + 1);
    for (WeightReader r : readers.values()) {
      if (r.accepts(name, head)) {
        return r;
      }
    }
    throw new DataFormatException("weights " + description + " are in no format a reader on the "
        + "classpath accepts " + readers.keySet() + "; name the format with .format(...) or add "
        + "the backend that reads it", description);
  }

  /** The file's tensors as the reader gives them (names not yet mapped). */
  public List<Tensor> tensors(TrainableModel target) {
    byte[] bytes = bytes();
    return reader(bytes).read(bytes, description, target);
  }

  /**
   * Loads the weights into {@code model} under the policy and returns what happened.
   *
   * @throws ChecksumMismatchException if the expected SHA-256 differs
   * @throws WeightsMismatchException in strict mode when file and model differ, or in matching
   *     mode when nothing matches; the model is then unchanged
   * @throws DataFormatException if the file is damaged or holds non-finite values
   */
  public WeightLoadReport loadInto(TrainableModel model) {
    Objects.requireNonNull(model, "model");
    byte[] bytes = bytes();
    WeightReader reader = reader(bytes);
    List<Tensor> tensors = reader.read(bytes, description, model);
    Map<String, ParameterInfo> params = new LinkedHashMap<>();
    for (ParameterInfo p : model.parameters()) {
      params.put(p.name(), p);
    }
    Map<String, String> renamed = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    List<String> converted = new ArrayList<>();
    List<Tensor> assign = new ArrayList<>();
    Map<String, String> seen = new LinkedHashMap<>();
    for (Tensor t : tensors) {
      String target = mapping.map(t.name());
      if (target == null || target.isEmpty()) {
        skipped.add(t.name());
        continue;
      }
      if (!target.equals(t.name())) {
        renamed.put(t.name(), target);
      }
      String earlier = seen.put(target, t.name());
      if (earlier != null) {
        throw new WeightsMismatchException("weights " + description + ": tensors " + earlier
            + " and " + t.name() + " both map to parameter " + target + "; fix the name mapping",
            description);
      }
      ParameterInfo p = params.get(target);
      if (p == null) {
        unexpected.add(target);
        continue;
      }
      if (!Arrays.equals(p.shape(), t.shape())) {
        mismatched.add(target + ": file " + Arrays.toString(t.shape()) + " vs model "
            + Arrays.toString(p.shape()));
        continue;
      }
      checkFinite(t, target);
      if (t.sourceType() != DType.F32) {
        converted.add(target + ": " + t.sourceType() + " → F32");
      }
      assign.add(Tensor.of(target, t.shape(), t.values()));
    }
    List<String> loaded = assign.stream().map(Tensor::name).toList();
    List<String> missing = new ArrayList<>();
    for (String name : params.keySet()) {
      if (!seen.containsKey(name)) {
        missing.add(name);
      }
    }
    List<String> reinit = new ArrayList<>(params.keySet());
    reinit.removeAll(loaded);
    WeightLoadReport report = new WeightLoadReport(description, reader.format(), hex(bytes),
        sha256 != null, policy, model.name(), loaded, missing, unexpected, mismatched, converted,
        renamed, skipped, policy == LoadPolicy.MATCHING ? reinit : List.of());
    if (policy == LoadPolicy.STRICT && !report.complete()) {
      throw new WeightsMismatchException("weights " + description + " do not fit model "
          + model.name() + " exactly: " + problems(report) + "; the model is unchanged — map the "
          + "names with rename(...), or load what matches with policy(LoadPolicy.MATCHING)",
          description);
    }
    if (assign.isEmpty()) {
      throw new WeightsMismatchException("no tensor of weights " + description + " fits model "
          + model.name() + ": " + problems(report) + "; the model is unchanged — check the name "
          + "mapping (the model's parameters are " + params.keySet() + ")", description);
    }
    model.assignParameters(assign);
    return report;
  }

  private static String problems(WeightLoadReport r) {
    List<String> out = new ArrayList<>();
    if (!r.missing().isEmpty()) {
      out.add("missing from the file " + r.missing());
    }
    if (!r.unexpected().isEmpty()) {
      out.add("unexpected in the file " + r.unexpected());
    }
    if (!r.shapeMismatched().isEmpty()) {
      out.add("shape mismatch " + r.shapeMismatched());
    }
    return out.isEmpty() ? "nothing matched" : String.join(", ", out);
  }

  private void checkFinite(Tensor t, String target) {
    float[] v = t.values();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new DataFormatException("weights " + description + ": tensor " + t.name()
            + (target.equals(t.name()) ? "" : " (parameter " + target + ")") + " holds " + v[i]
            + " at index " + i + "; weights must be finite — the file is damaged or was saved "
            + "from a diverged run", description);
      }
    }
  }

  /** The optional expected checksum. */
  public Optional<String> expectedSha256() {
    return Optional.ofNullable(sha256);
  }

  @Override
  public String toString() {
    return "Pretrained " + description + (sha256 == null ? "" : " sha256 " + sha256)
        + (format == null ? "" : " format " + format) + " · " + policy;
  }
}
