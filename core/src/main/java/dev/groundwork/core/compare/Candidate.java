package dev.groundwork.core.compare;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.baseline.BagOfWords;
import dev.groundwork.core.baseline.MajorityClass;
import dev.groundwork.core.baseline.SoftmaxRegression;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.model.Model;
import dev.groundwork.core.model.TrainableModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One approach lined up in a {@link Scorecard}: a name, a line on its complexity, and how to get a
 * model — built per seed and trained by the fit loop, supplied pretrained, or (for baselines)
 * fitted by a classical procedure — with an optional id into the {@link ApproachCatalog}.
 *
 * <pre>{@code
 * Candidate mlp = Candidate.trained("mlp",
 *         seed -> DjlModels.mlp(spec, TrainConfig.builder().seed(seed).build()),
 *         Recipe.epochs(5).schedule(LrSchedule.cosine()))
 *     .complexity("2 hidden layers (256, 128)").approach("mlp");
 * Candidate onnx = Candidate.pretrained("resnet-onnx", () -> OnnxModels.load(file, spec))
 *     .file(file);
 * }</pre>
 */
public final class Candidate {

  /** Where a candidate's model comes from. */
  public enum Kind {
    /** A classical model that the others must beat (majority class, softmax regression, …). */
    BASELINE,
    /** A trainable model built per seed and trained by the fit loop. */
    TRAINED,
    /** A model supplied already trained (e.g. an ONNX file); evaluated once. */
    PRETRAINED
  }

  /** Builds an untrained model whose {@code TrainConfig} carries {@code seed}. */
  @FunctionalInterface
  public interface ModelBuilder {
    /** A new, untrained model seeded with {@code seed}; the scorecard closes it. */
    TrainableModel build(long seed);
  }

  /** Fits a classical model on the training data by its own procedure. */
  @FunctionalInterface
  public interface Trainer {
    /** A model fitted on {@code train} with {@code seed}; the scorecard closes it. */
    Model train(Dataset train, long seed);
  }

  private final String name;
  private final Kind kind;
  private final String complexity;
  private final Optional<String> approachId;
  private final ModelBuilder builder;
  private final Recipe recipe;
  private final Supplier<? extends Model> supplier;
  private final Trainer trainer;
  private final Optional<Path> file;

  private Candidate(String name, Kind kind, String complexity, Optional<String> approachId,
      ModelBuilder builder, Recipe recipe, Supplier<? extends Model> supplier, Trainer trainer,
      Optional<Path> file) {
    Objects.requireNonNull(name, "name");
    InvalidParameterException.check(!name.isBlank(), "a candidate needs a non-blank name");
    this.name = name;
    this.kind = kind;
    this.complexity = Objects.requireNonNull(complexity, "complexity");
    this.approachId = approachId;
    this.builder = builder;
    this.recipe = recipe;
    this.supplier = supplier;
    this.trainer = trainer;
    this.file = file;
  }

  /** A model built per seed by {@code builder} and trained by the fit loop with {@code recipe}. */
  public static Candidate trained(String name, ModelBuilder builder, Recipe recipe) {
    return new Candidate(name, Kind.TRAINED, "", Optional.empty(),
        Objects.requireNonNull(builder, "builder"), Objects.requireNonNull(recipe, "recipe"),
        null, null, Optional.empty());
  }

  /** A model supplied already trained; it is evaluated once, whatever the seeds. */
  public static Candidate pretrained(String name, Supplier<? extends Model> supplier) {
    return new Candidate(name, Kind.PRETRAINED, "", Optional.empty(), null, null,
        Objects.requireNonNull(supplier, "supplier"), null, Optional.empty());
  }

  /** A baseline fitted by {@code trainer}, once per seed. */
  public static Candidate baseline(String name, Trainer trainer) {
    return new Candidate(name, Kind.BASELINE, "", Optional.empty(), null, null, null,
        Objects.requireNonNull(trainer, "trainer"), Optional.empty());
  }

  /** The majority-class baseline ({@link MajorityClass}). */
  public static Candidate majorityClass() {
    return baseline("majority-class", (train, seed) -> MajorityClass.train(train))
        .complexity("predicts the most frequent training class").approach("majority");
  }

  /** Softmax regression on the raw inputs (pixels), {@link SoftmaxRegression.Settings#defaults()}. */
  public static Candidate softmaxRegression() {
    return softmaxRegression(SoftmaxRegression.Settings.defaults());
  }

  /** Softmax regression on the raw inputs (pixels) with these settings. */
  public static Candidate softmaxRegression(SoftmaxRegression.Settings settings) {
    Objects.requireNonNull(settings, "settings");
    return baseline("softmax-regression",
        (train, seed) -> SoftmaxRegression.train(train, settings, seed))
        .complexity("linear on the raw inputs, " + settings).approach("logistic-regression");
  }

  /** The TF-IDF bag of words with softmax regression ({@link BagOfWords}), 30 epochs. */
  public static Candidate bagOfWords() {
    return baseline("tf-idf-bag-of-words", (train, seed) -> BagOfWords.train(train, 30, seed))
        .complexity("TF-IDF words + linear, Adam 30 epochs").approach("tfidf-logistic");
  }

  /**
   * The baselines for a kind of input: the majority class, and softmax regression on the values
   * for tensors (pixels) or the TF-IDF bag of words for texts.
   */
  public static List<Candidate> baselinesFor(DatasetSpec spec) {
    return List.of(majorityClass(), spec.inputKind() == InputKind.TEXT ? bagOfWords()
        : softmaxRegression());
  }

  /** This candidate with a line on its complexity (layers, parameters, cost), for the table. */
  public Candidate complexity(String description) {
    return new Candidate(name, kind, Objects.requireNonNull(description, "description"),
        approachId, builder, recipe, supplier, trainer, file);
  }

  /**
   * This candidate tied to an approach of the {@link ApproachCatalog}, by id: the scorecard
   * prints what the approach's authors reported beside what it measured.
   *
   * @throws InvalidParameterException if the catalog has no approach {@code id} (the message
   *     lists the ids it has)
   */
  public Candidate approach(String id) {
    Objects.requireNonNull(id, "id");
    InvalidParameterException.check(ApproachCatalog.find(id).isPresent(), "candidate '%s': the "
        + "approach catalog has no approach '%s'; use one of %s", name, id, ApproachCatalog.ids());
    return new Candidate(name, kind, complexity, Optional.of(id), builder, recipe, supplier,
        trainer, file);
  }

  /** This candidate with the file its pretrained model is read from (its size on disk). */
  public Candidate file(Path modelFile) {
    return new Candidate(name, kind, complexity, approachId, builder, recipe, supplier, trainer,
        Optional.of(Objects.requireNonNull(modelFile, "modelFile")));
  }

  /** The candidate's name, unique within a scorecard. */
  public String name() {
    return name;
  }

  /** Where its model comes from. */
  public Kind kind() {
    return kind;
  }

  /** The line on its complexity (may be empty). */
  public String complexity() {
    return complexity;
  }

  /** The catalog approach it implements, if given. */
  public Optional<String> approachId() {
    return approachId;
  }

  /** The training recipe of a trained candidate. */
  public Optional<Recipe> recipe() {
    return Optional.ofNullable(recipe);
  }

  /** The file of a pretrained candidate, if given. */
  public Optional<Path> file() {
    return file;
  }

  ModelBuilder builder() {
    return builder;
  }

  Supplier<? extends Model> supplier() {
    return supplier;
  }

  Trainer trainer() {
    return trainer;
  }

  @Override
  public String toString() {
    return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT)
        + (recipe == null ? "" : ", " + recipe) + (complexity.isEmpty() ? "" : ", " + complexity)
        + ")";
  }
}
