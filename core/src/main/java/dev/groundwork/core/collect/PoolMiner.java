package dev.groundwork.core.collect;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.CollectionPlan;
import dev.groundwork.core.analysis.FailureClusters;
import dev.groundwork.core.analysis.ImageAttributes;
import dev.groundwork.core.analysis.Slice;
import dev.groundwork.core.analysis.TextAttributes;
import dev.groundwork.core.analysis.TopLosses;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.data.TextInput;
import dev.groundwork.core.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Chooses which items of an {@link UnlabeledPool} to send for labelling, from a model's failure
 * analysis on labelled data and its predictions on the pool.
 *
 * <p>The strategies ({@link Strategy}): uncertainty (margin, entropy); similarity to the failures
 * (membership in a failing slice, with the slice's conditions evaluated on the pool's metadata,
 * image and text attributes and predicted class; nearness in embedding space to the failures'
 * examples); diversity (greedy k-center); and {@link Strategy#MIXED}, the default, which spreads the
 * budget across the collection plan's {@link #targets() targeted} scenarios (the few narrow ones
 * with the most errors beyond their class mix) by those errors, keeps a share for the most
 * uncertain items, and picks within each scenario the most uncertain candidates spread out by
 * k-center.
 *
 * <pre>{@code
 * var analysis = FailureAnalysis.classification(labelled).run();
 * PoolMiner miner = PoolMiner.of(model, analysis, labelled);
 * Selection s = miner.select(pool.predict(model, 256), 500, PoolMiner.Strategy.MIXED, 7);
 * s.writeCsv(Path.of("to-label.csv"));
 * }</pre>
 *
 * <p>Where the pool has no labels, a slice condition on {@code class} is evaluated on the predicted
 * class (the reason says "predicted class").
 */
public final class PoolMiner {

  /** How items are chosen; each is stated in the {@link Selection}. */
  public enum Strategy {
    /** A seeded random sample: the baseline any strategy must beat. */
    RANDOM("a seeded random sample"),
    /** Smallest margin between the two most probable classes first. */
    MARGIN("uncertainty: smallest margin between the two most probable classes first"),
    /** Highest entropy of the probabilities first. */
    ENTROPY("uncertainty: highest entropy first"),
    /** Items in a failing slice (beyond class mix), worst slice first, smallest margin within. */
    FAILING_SLICES("failure similarity: items in a failing slice, smallest margin first"),
    /** Nearest in embedding space to misclassified, top-loss or never-fit labelled examples. */
    NEAR_FAILURES("failure similarity: nearest to the failures' examples in embedding space"),
    /** Greedy k-center in embedding space from the most uncertain item. */
    DIVERSITY("diversity: greedy k-center in embedding space"),
    /** The budget spread across the plan's targeted scenarios plus an uncertainty share. */
    MIXED("the collection plan's top narrow scenarios by excess errors, plus an uncertainty "
        + "share; uncertain and diverse within each");

    private final String description;

    Strategy(String description) {
      this.description = description;
    }

    /** What the strategy does, in words. */
    public String description() {
      return description;
    }
  }

  /** The default share of the budget the mixed strategy keeps for the most uncertain items. */
  public static final double DEFAULT_UNCERTAINTY_SHARE = 0.25;
  /** Within a scenario, k-center picks among this many times its quota of most uncertain items. */
  public static final int CANDIDATE_FACTOR = 4;
  /**
   * The mixed strategy targets at most this many of the plan's scenarios, those with the most
   * errors beyond their class mix: a budget split over many scenarios is a thin spread, close to
   * no focus at all.
   */
  public static final int DEFAULT_MAX_SCENARIOS = 3;
  /**
   * A slice or cluster holding more than this share of the analysed examples is not targeted: it
   * is a large part of the data (a quarter or more), and collecting in
   * it is close to collecting at random. A confused pair is not capped: its candidates are the
   * items whose two most probable classes are the pair, narrow by construction.
   */
  public static final double DEFAULT_MAX_SUPPORT_SHARE = 0.25;

  private final ClassificationAnalysis analysis;
  private final ClassificationPredictions labelled;
  private final String modelName;
  private final List<String> neverFit;
  private final double uncertaintyShare;
  private final int maxScenarios;
  private final double maxSupportShare;

  private PoolMiner(ClassificationAnalysis analysis, ClassificationPredictions labelled,
      String modelName, List<String> neverFit, double uncertaintyShare, int maxScenarios,
      double maxSupportShare) {
    this.analysis = analysis;
    this.labelled = labelled;
    this.modelName = modelName;
    this.neverFit = neverFit;
    this.uncertaintyShare = uncertaintyShare;
    this.maxScenarios = maxScenarios;
    this.maxSupportShare = maxSupportShare;
  }

  /**
   * A miner for the failures {@code analysis} found in {@code labelled}, the predictions it
   * analysed (with their embeddings, if any: nearness is measured in that space).
   *
   * @throws AnalysisMismatchException if the analysis was computed on other predictions
   */
  public static PoolMiner of(ClassificationAnalysis analysis, ClassificationPredictions labelled) {
    Objects.requireNonNull(analysis, "analysis");
    Objects.requireNonNull(labelled, "labelled");
    if (!analysis.provenance().fingerprint().equals(labelled.fingerprint())) {
      throw new AnalysisMismatchException(String.format(Locale.ROOT,
          "the failure analysis was computed on predictions %s (%s) but the labelled predictions "
              + "given are %s (%s); pass the predictions the analysis ran on, or re-run the "
              + "analysis on these", analysis.provenance().fingerprint(),
          analysis.provenance().source(), labelled.fingerprint(), labelled.source()));
    }
    return new PoolMiner(analysis, labelled, null, List.of(), DEFAULT_UNCERTAINTY_SHARE,
        DEFAULT_MAX_SCENARIOS, DEFAULT_MAX_SUPPORT_SHARE);
  }

  /**
   * Like {@link #of(ClassificationAnalysis, ClassificationPredictions)}, also checking that
   * {@code model} made the labelled predictions: it predicts up to 64 of the labelled examples
   * again and compares the probabilities (within 1e-3). Pool predictions must then come from the
   * same model.
   *
   * @throws AnalysisMismatchException if the analysis belongs to other predictions or another
   *     model
   * @throws InputSpecMismatchException if the model's classes differ from the analysis'
   */
  public static PoolMiner of(Model model, ClassificationAnalysis analysis,
      ClassificationPredictions labelled) {
    Objects.requireNonNull(model, "model");
    PoolMiner m = of(analysis, labelled);
    if (!model.spec().classes().equals(labelled.classes())) {
      throw new InputSpecMismatchException(String.format(Locale.ROOT,
          "model %s predicts %s but the analysis is over %s; use the model the analysis is for",
          model.name(), model.spec().classes(), labelled.classes()));
    }
    if (labelled.dataset().isPresent()) {
      Dataset d = labelled.dataset().get();
      int k = Math.min(64, d.size());
      float[] again = model.predict(d.subset(IntStream.range(0, k).toArray()), 64).values();
      float[] had = labelled.probabilities();
      int c = labelled.numClasses();
      for (int i = 0; i < k * c; i++) {
        if (Math.abs(again[i] - had[i]) > 1e-3) {
          throw new AnalysisMismatchException(String.format(Locale.ROOT,
              "model %s gives example %s the probability %.4f for class %s, but the analysed "
                  + "predictions have %.4f: the analysis was computed for another model (or "
                  + "the model changed since); re-run the analysis with this model",
              model.name(), d.id(i / c), again[i], labelled.classes().get(i % c), had[i]));
        }
      }
    }
    return new PoolMiner(m.analysis, m.labelled, model.name(), m.neverFit, m.uncertaintyShare,
        m.maxScenarios, m.maxSupportShare);
  }

  /**
   * The same miner with these labelled ids as "never fit" examples (e.g. from an {@code
   * ExampleFit} report): nearness to them counts as similarity to the failures.
   *
   * @throws InvalidParameterException if an id is not in the labelled predictions
   */
  public PoolMiner neverFit(Collection<String> ids) {
    Set<String> known = new HashSet<>(labelled.ids());
    for (String id : ids) {
      InvalidParameterException.check(known.contains(id),
          "never-fit id '%s' is not among the %d labelled predictions", id, labelled.size());
    }
    return new PoolMiner(analysis, labelled, modelName, List.copyOf(new LinkedHashSet<>(ids)),
        uncertaintyShare, maxScenarios, maxSupportShare);
  }

  /**
   * The same miner keeping this share of the mixed strategy's budget for the most uncertain
   * items (default {@value #DEFAULT_UNCERTAINTY_SHARE}).
   *
   * @throws InvalidParameterException if the share is outside [0, 1]
   */
  public PoolMiner uncertaintyShare(double share) {
    InvalidParameterException.check(share >= 0 && share <= 1,
        "uncertaintyShare must be in [0, 1], got %s", share);
    return new PoolMiner(analysis, labelled, modelName, neverFit, share, maxScenarios,
        maxSupportShare);
  }

  /**
   * The same miner targeting at most {@code scenarios} of the plan's scenarios (default {@value
   * #DEFAULT_MAX_SCENARIOS}), skipping slices and clusters that hold more than {@code
   * maxSupportShare} of the analysed examples (default {@value #DEFAULT_MAX_SUPPORT_SHARE}).
   *
   * @throws InvalidParameterException if {@code scenarios < 1} or the share is outside (0, 1]
   */
  public PoolMiner targets(int scenarios, double maxSupportShare) {
    InvalidParameterException.check(scenarios >= 1,
        "the mixed strategy needs at least 1 target scenario, got %d", scenarios);
    InvalidParameterException.check(maxSupportShare > 0 && maxSupportShare <= 1,
        "maxSupportShare must be in (0, 1], got %s", maxSupportShare);
    return new PoolMiner(analysis, labelled, modelName, neverFit, uncertaintyShare, scenarios,
        maxSupportShare);
  }

  /**
   * The scenarios the mixed strategy targets: the collection plan's items with errors beyond their
   * class mix, most first, leaving out slices and clusters holding more than the support share of
   * the analysed examples, at most the maximum number of scenarios.
   */
  public List<CollectionPlan.Item> targets() {
    List<CollectionPlan.Item> out = new ArrayList<>();
    for (CollectionPlan.Item item : analysis.collectionPlan().items()) {
      if (out.size() >= maxScenarios) {
        break;
      }
      boolean narrow = item.kind() == CollectionPlan.Kind.CONFUSION
          || item.support() <= maxSupportShare * labelled.size();
      if (item.excessErrors() > 0 && narrow) {
        out.add(item);
      }
    }
    return out;
  }

  /** The analysis mined for. */
  public ClassificationAnalysis analysis() {
    return analysis;
  }

  // ---------------------------------------------------------------- selection

  /**
   * Chooses {@code budget} items of the pool by {@code strategy}.
   *
   * @param predictions the model's predictions on the pool (with embeddings for nearness and
   *     diversity)
   * @param seed seeds the random strategy and breaks ties
   * @throws InvalidParameterException if the budget is ≤ 0 or larger than the pool, or the
   *     strategy needs embeddings the predictions lack
   * @throws AnalysisMismatchException if the pool was predicted by another model or has other
   *     classes than the analysis, or its embeddings have another dimension than the labelled ones
   */
  public Selection select(PoolPredictions predictions, int budget, Strategy strategy, long seed) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(strategy, "strategy");
    UnlabeledPool pool = predictions.pool();
    InvalidParameterException.check(budget > 0,
        "budget must be at least 1 item, got %d", budget);
    InvalidParameterException.check(budget <= pool.size(),
        "budget %d is larger than pool %s (%d items); lower the budget or add to the pool",
        budget, pool.name(), pool.size());
    if (!pool.spec().classes().equals(labelled.classes())) {
      throw new AnalysisMismatchException(String.format(Locale.ROOT,
          "pool %s has the classes %s but the analysis %s; mine with the analysis of the model "
              + "that predicted the pool", pool.name(), pool.spec().classes(),
          labelled.classes()));
    }
    if (modelName != null && !modelName.equals(predictions.model())) {
      throw new AnalysisMismatchException(String.format(Locale.ROOT,
          "the pool was predicted by model %s but the analysis is for model %s; predict the pool "
              + "with %s", predictions.model(), modelName, modelName));
    }
    boolean emb = predictions.hasEmbeddings();
    if (emb && labelled.embeddings().isPresent()
        && labelled.embeddingDim() != predictions.embeddingDim()) {
      throw new AnalysisMismatchException(String.format(Locale.ROOT,
          "the pool's embeddings have %d dimensions but the labelled predictions' %d; embed both "
              + "with the same encoder", predictions.embeddingDim(), labelled.embeddingDim()));
    }
    if ((strategy == Strategy.NEAR_FAILURES || strategy == Strategy.DIVERSITY)
        && (!emb || (strategy == Strategy.NEAR_FAILURES && labelled.embeddings().isEmpty()))) {
      throw new InvalidParameterException(String.format(Locale.ROOT,
          "strategy %s measures distances in embedding space, but the %s have no embeddings; "
              + "add them with withEmbeddings(...) or choose another strategy", strategy,
          emb ? "labelled predictions" : "pool predictions"));
    }
    return new Run(predictions, budget, strategy, seed).select();
  }

  /**
   * Which items of {@code predictions}' pool fall in the {@link #targets() targeted} scenarios of
   * these kinds: a failing slice's conditions (class conditions on the predicted class), the
   * nearest cluster centroid being a failing cluster's (needs embeddings), a confused pair being
   * the item's two most probable classes. Used to follow the starting failures on a test set as a
   * model is retrained: the same scenarios the mixed strategy collects for.
   *
   * @throws AnalysisMismatchException as {@link #select} does
   */
  public boolean[] scenarioMembership(PoolPredictions predictions,
      Set<CollectionPlan.Kind> kinds) {
    Objects.requireNonNull(kinds, "kinds");
    if (!predictions.pool().spec().classes().equals(labelled.classes())) {
      throw new AnalysisMismatchException(String.format(Locale.ROOT,
          "pool %s has the classes %s but the analysis %s", predictions.pool().name(),
          predictions.pool().spec().classes(), labelled.classes()));
    }
    Run run = new Run(predictions, 1, Strategy.MIXED, 0);
    boolean[] in = new boolean[run.n];
    for (CollectionPlan.Item item : targets()) {
      if (kinds.contains(item.kind())) {
        for (int i : run.candidates(item)) {
          in[i] = true;
        }
      }
    }
    return in;
  }

  /** One selection: the per-item figures and memberships, computed once. */
  private final class Run {
    final PoolPredictions pp;
    final UnlabeledPool pool;
    final int n;
    final int c;
    final int budget;
    final Strategy strategy;
    final long seed;
    final float[] probs;
    final int[] pred;
    final int[] second;
    final double[] margin;
    final double[] entropy;
    final float[] emb;
    final int dim;
    final List<String> notes = new ArrayList<>();
    final List<Slice> slices;
    /** Per failing slice, whether each item is in it. */
    final List<boolean[]> inSlice = new ArrayList<>();
    /** Nearest cluster centroid per item (index into analysis clusters), or null. */
    int[] nearestCluster;
    List<FailureClusters.FailureCluster> clusterList = List.of();
    /** Nearest failure example per item, or null. */
    int[] nearestAnchor;
    float[] anchorDist;
    List<String> anchorIds = List.of();
    List<String> anchorWhy = List.of();
    final boolean[] taken;

    Run(PoolPredictions pp, int budget, Strategy strategy, long seed) {
      this.pp = pp;
      this.pool = pp.pool();
      this.n = pool.size();
      this.c = pp.numClasses();
      this.budget = budget;
      this.strategy = strategy;
      this.seed = seed;
      this.probs = pp.probabilitiesShared();
      this.emb = pp.embeddingsShared().orElse(null);
      this.dim = pp.embeddingDim();
      this.taken = new boolean[n];
      pred = new int[n];
      second = new int[n];
      margin = new double[n];
      entropy = new double[n];
      for (int i = 0; i < n; i++) {
        int a = -1;
        int b = -1;
        double h = 0;
        for (int k = 0; k < c; k++) {
          float p = probs[i * c + k];
          if (a < 0 || p > probs[i * c + a]) {
            b = a;
            a = k;
          } else if (b < 0 || p > probs[i * c + b]) {
            b = k;
          }
          if (p > 0) {
            h -= p * Math.log(p);
          }
        }
        pred[i] = a;
        second[i] = b < 0 ? a : b;
        margin[i] = b < 0 ? 1 : probs[i * c + a] - probs[i * c + b];
        entropy[i] = h;
      }
      slices = analysis.slices().beyondClassMix();
      if (strategy != Strategy.RANDOM) {
        memberships();
      }
    }

    void memberships() {
      boolean needImage = false;
      boolean needText = false;
      for (Slice s : slices) {
        for (Slice.Condition cond : s.conditions()) {
          needImage |= cond.attribute().startsWith("image.");
          needText |= cond.attribute().startsWith("text.");
        }
      }
      double[][] image = needImage ? imageAttributes() : null;
      double[][] text = needText ? textAttributes() : null;
      for (Slice s : slices) {
        boolean[] in = new boolean[n];
        for (int i = 0; i < n; i++) {
          boolean all = true;
          for (Slice.Condition cond : s.conditions()) {
            if (!holds(cond, i, image, text)) {
              all = false;
              break;
            }
          }
          in[i] = all;
        }
        inSlice.add(in);
      }
      float[] lemb = labelled.embeddings().orElse(null);
      if (emb == null || lemb == null) {
        notes.add("no embeddings on " + (emb == null ? "the pool" : "the labelled predictions")
            + ": nearness to failure clusters and hard examples not used");
        return;
      }
      Map<String, Integer> pos = new HashMap<>();
      for (int i = 0; i < labelled.size(); i++) {
        pos.put(labelled.id(i), i);
      }
      // cluster centroids in the labelled embedding space, from the clusters' members
      clusterList = analysis.clusters().clusters();
      if (!clusterList.isEmpty()) {
        float[] cent = new float[clusterList.size() * dim];
        for (int k = 0; k < clusterList.size(); k++) {
          List<String> members = clusterList.get(k).memberIds();
          for (String id : members) {
            int p = pos.get(id);
            for (int j = 0; j < dim; j++) {
              cent[k * dim + j] += lemb[p * dim + j];
            }
          }
          for (int j = 0; j < dim; j++) {
            cent[k * dim + j] /= Math.max(1, members.size());
          }
        }
        nearestCluster = new int[n];
        Vectors.nearest(emb, n, cent, clusterList.size(), dim, nearestCluster, new float[n]);
      }
      // hard examples: misclassified members of significant clusters, top losses, never-fit
      Map<String, String> anchors = new java.util.LinkedHashMap<>();
      for (TopLosses.Loss l : analysis.topLosses().losses()) {
        anchors.putIfAbsent(l.id(), "top loss");
      }
      for (String id : neverFit) {
        anchors.putIfAbsent(id, "never fit");
      }
      for (FailureClusters.FailureCluster f : analysis.clusters().significant()) {
        for (String id : f.memberIds()) {
          int p = pos.get(id);
          if (labelled.predicted(p) != labelled.label(p)) {
            anchors.putIfAbsent(id, "misclassified in cluster " + f.index());
          }
        }
      }
      if (!anchors.isEmpty()) {
        anchorIds = List.copyOf(anchors.keySet());
        anchorWhy = List.copyOf(anchors.values());
        float[] a = new float[anchorIds.size() * dim];
        for (int k = 0; k < anchorIds.size(); k++) {
          System.arraycopy(lemb, pos.get(anchorIds.get(k)) * dim, a, k * dim, dim);
        }
        nearestAnchor = new int[n];
        anchorDist = new float[n];
        Vectors.nearest(emb, n, a, anchorIds.size(), dim, nearestAnchor, anchorDist);
      }
    }

    double[][] imageAttributes() {
      double[][] v = new double[n][];
      IntStream.range(0, n).parallel().forEach(i -> {
        Input in = pool.input(i);
        if (in instanceof TensorInput t) {
          ImageAttributes.Measures m = ImageAttributes.measure(t);
          v[i] = new double[] {m.brightness(), m.contrast(), m.sharpness(), m.foreground(),
              m.aspectRatio()};
        }
      });
      return v;
    }

    double[][] textAttributes() {
      double[][] v = new double[n][];
      for (int i = 0; i < n; i++) {
        if (pool.input(i) instanceof TextInput t) {
          String s = t.text();
          String trimmed = s.strip();
          v[i] = new double[] {s.codePointCount(0, s.length()),
              trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length};
        }
      }
      return v;
    }

    boolean holds(Slice.Condition cond, int i, double[][] image, double[][] text) {
      String attr = cond.attribute();
      String op = cond.operator();
      if (attr.equals("class")) {
        String p = labelled.classes().get(pred[i]);
        if (op.equals("=")) {
          return p.equals(cond.value());
        }
        String inner = cond.value().substring(1, cond.value().length() - 1);
        return Arrays.asList(inner.split(", ")).contains(p);
      }
      Double number = null;
      String text0 = null;
      int img = ImageAttributes.NAMES.indexOf(attr);
      if (img >= 0) {
        number = image[i] == null ? null : image[i][img];
      } else if (attr.equals(TextAttributes.CHARS) || attr.equals(TextAttributes.WORDS)) {
        number = text[i] == null ? null : text[i][attr.equals(TextAttributes.CHARS) ? 0 : 1];
      } else {
        text0 = pool.metadata(i).get(attr);
        if (text0 != null && (op.equals("≤") || op.equals(">"))) {
          try {
            number = Double.parseDouble(text0.strip());
          } catch (NumberFormatException e) {
            number = null;
          }
        }
      }
      switch (op) {
        case "≤":
          return number != null && !number.isNaN() && number <= Double.parseDouble(cond.value());
        case ">":
          return number != null && !number.isNaN() && number > Double.parseDouble(cond.value());
        case "is":
          return img >= 0 ? number == null || number.isNaN() : text0 == null || text0.isEmpty();
        case "=":
          return cond.value().equals(text0);
        default:
          return false;
      }
    }

    // -------------------------------------------------------------- strategies

    Selection select() {
      List<Bucket> buckets = new ArrayList<>();
      switch (strategy) {
        case RANDOM -> {
          int[] order = IntStream.range(0, n).toArray();
          Random rng = new Random(seed);
          for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
          }
          buckets.add(bucket("random", "random", 0, budget, Arrays.copyOf(order, budget), n));
        }
        case MARGIN -> buckets.add(uncertainty(budget, false, "uncertainty (margin)"));
        case ENTROPY -> {
          int[] order = sortedBy(IntStream.range(0, n).toArray(), i -> -entropy[i]);
          buckets.add(bucket("uncertainty (entropy)", "uncertainty", 0, budget,
              Arrays.copyOf(order, budget), n));
        }
        case FAILING_SLICES -> {
          List<Integer> picked = new ArrayList<>();
          int candidates = 0;
          for (int s = 0; s < slices.size(); s++) {
            boolean[] in = inSlice.get(s);
            int[] cand = sortedBy(IntStream.range(0, n).filter(i -> in[i]).toArray(),
                i -> margin[i]);
            candidates += cand.length;
            for (int i : cand) {
              if (picked.size() < budget && !taken[i]) {
                taken[i] = true;
                picked.add(i);
              }
            }
          }
          if (slices.isEmpty()) {
            notes.add("the analysis found no slice beyond its class mix");
          }
          buckets.add(bucket("failing slices", "slice", 0, budget,
              picked.stream().mapToInt(Integer::intValue).toArray(), candidates));
          if (picked.size() < budget) {
            buckets.add(uncertainty(budget - picked.size(), false, "uncertainty (filler)"));
          }
        }
        case NEAR_FAILURES -> {
          if (nearestAnchor == null) {
            notes.add("the analysis has no failure examples to be near to");
            buckets.add(uncertainty(budget, false, "uncertainty (filler)"));
          } else {
            int[] order = sortedBy(IntStream.range(0, n).toArray(), i -> anchorDist[i]);
            buckets.add(bucket("near failures", "hard-examples", 0, budget,
                Arrays.copyOf(order, budget), n));
          }
        }
        case DIVERSITY -> {
          int[] cand = sortedBy(IntStream.range(0, n).toArray(), i -> margin[i]);
          int[] pick = Vectors.kCenter(emb, dim, cand, budget);
          int[] chosen = new int[pick.length];
          for (int k = 0; k < pick.length; k++) {
            chosen[k] = cand[pick[k]];
          }
          buckets.add(bucket("diversity (k-center)", "diversity", 0, budget, chosen, n));
        }
        case MIXED -> mixed(buckets);
        default -> throw new IllegalStateException(strategy.name());
      }
      return assemble(buckets);
    }

    void mixed(List<Bucket> buckets) {
      record Scenario(String name, String kind, double weight, int[] candidates) {}
      List<Scenario> scenarios = new ArrayList<>();
      List<CollectionPlan.Item> targets = targets();
      for (CollectionPlan.Item item : analysis.collectionPlan().items()) {
        if (item.excessErrors() > 0 && !targets.contains(item)
            && item.kind() != CollectionPlan.Kind.CONFUSION
            && item.support() > maxSupportShare * labelled.size()) {
          notes.add(String.format(Locale.ROOT, "%s holds %d of the %d analysed examples "
                  + "(more than %.0f%%): too broad to target", item.label(), item.support(),
              labelled.size(), 100 * maxSupportShare));
        }
      }
      for (CollectionPlan.Item item : targets) {
        double w = item.excessErrors();
        int[] cand = candidates(item);
        String kind = item.kind().name().toLowerCase(Locale.ROOT);
        if (cand.length == 0) {
          notes.add(item.label() + ": no pool item matches"
              + (item.kind() == CollectionPlan.Kind.CLUSTER && nearestCluster == null
              ? " (no embeddings to place pool items in clusters)" : ""));
        }
        scenarios.add(new Scenario(item.scenario(), kind, w, cand));
      }
      if (nearestAnchor != null && !scenarios.isEmpty()) {
        double mean = scenarios.stream().mapToDouble(Scenario::weight).average().orElse(1);
        int m = Math.min(n, budget * CANDIDATE_FACTOR);
        int[] cand = Arrays.copyOf(sortedBy(IntStream.range(0, n).toArray(),
            i -> anchorDist[i]), m);
        scenarios.add(new Scenario("near hard examples (top losses, never fit, misclassified "
            + "in failing clusters)", "hard-examples", mean, cand));
      }
      if (scenarios.isEmpty()) {
        notes.add("the collection plan has no narrow scenario with errors beyond its class mix: "
            + "the whole budget goes to uncertainty");
        buckets.add(uncertainty(budget, emb != null, "uncertainty (margin)"));
        return;
      }
      int focused = (int) Math.round(budget * (1 - uncertaintyShare));
      double[] weights = scenarios.stream().mapToDouble(Scenario::weight).toArray();
      int[] quota = largestRemainder(focused, weights);
      int used = 0;
      for (int s = 0; s < scenarios.size(); s++) {
        Scenario sc = scenarios.get(s);
        int[] free = Arrays.stream(sc.candidates()).filter(i -> !taken[i]).toArray();
        int[] chosen = pickDiverse(free, quota[s]);
        for (int i : chosen) {
          taken[i] = true;
        }
        used += chosen.length;
        buckets.add(new Bucket(sc.name(), sc.kind(), sc.weight(), quota[s],
            sc.candidates().length, chosen));
      }
      buckets.add(uncertainty(budget - used, emb != null, "uncertainty (margin)"));
    }

    int[] candidates(CollectionPlan.Item item) {
      return switch (item.kind()) {
        case SLICE -> {
          int s = sliceIndex(item.scenario());
          yield s < 0 ? new int[0]
              : IntStream.range(0, n).filter(i -> inSlice.get(s)[i]).toArray();
        }
        case CLUSTER -> {
          int k = clusterIndex(item.memberIds());
          yield k < 0 || nearestCluster == null ? new int[0]
              : IntStream.range(0, n).filter(i -> nearestCluster[i] == k).toArray();
        }
        case CONFUSION -> {
          String[] pair = item.scenario().split(" → ", 2);
          int a = labelled.classes().indexOf(pair[0]);
          int b = labelled.classes().indexOf(pair[1]);
          yield IntStream.range(0, n).filter(i -> (pred[i] == a && second[i] == b)
              || (pred[i] == b && second[i] == a)).toArray();
        }
      };
    }

    int sliceIndex(String description) {
      for (int s = 0; s < slices.size(); s++) {
        if (slices.get(s).description().equals(description)) {
          return s;
        }
      }
      return -1;
    }

    int clusterIndex(List<String> members) {
      for (int k = 0; k < clusterList.size(); k++) {
        if (clusterList.get(k).memberIds().equals(members)) {
          return k;
        }
      }
      return -1;
    }

    /** The {@code quota} most uncertain of {@code cand}, spread out by k-center if embedded. */
    int[] pickDiverse(int[] cand, int quota) {
      int[] byMargin = sortedBy(cand, i -> margin[i]);
      if (emb == null || quota <= 0) {
        return Arrays.copyOf(byMargin, Math.min(quota, byMargin.length));
      }
      int[] pool0 = Arrays.copyOf(byMargin, Math.min(byMargin.length, quota * CANDIDATE_FACTOR));
      int[] pick = Vectors.kCenter(emb, dim, pool0, quota);
      int[] out = new int[pick.length];
      for (int k = 0; k < pick.length; k++) {
        out[k] = pool0[pick[k]];
      }
      return out;
    }

    Bucket uncertainty(int k, boolean diverse, String name) {
      int[] free = IntStream.range(0, n).filter(i -> !taken[i]).toArray();
      int[] chosen = diverse ? pickDiverse(free, k)
          : Arrays.copyOf(sortedBy(free, i -> margin[i]), Math.min(k, free.length));
      for (int i : chosen) {
        taken[i] = true;
      }
      return new Bucket(name, "uncertainty", 0, k, free.length, chosen);
    }

    Bucket bucket(String name, String kind, double w, int quota, int[] chosen, int candidates) {
      for (int i : chosen) {
        taken[i] = true;
      }
      return new Bucket(name, kind, w, quota, candidates, chosen);
    }

    /** Interleaves the buckets so that any prefix is spread like the whole; builds the items. */
    Selection assemble(List<Bucket> buckets) {
      record Slot(int bucket, int index, double key) {}
      List<Slot> slots = new ArrayList<>();
      List<Selection.Allocation> alloc = new ArrayList<>();
      for (int b = 0; b < buckets.size(); b++) {
        Bucket bk = buckets.get(b);
        for (int j = 0; j < bk.chosen.length; j++) {
          slots.add(new Slot(b, j, (j + 0.5) / bk.chosen.length));
        }
        alloc.add(new Selection.Allocation(bk.name, bk.kind, bk.weight, bk.quota, bk.candidates,
            bk.chosen.length));
      }
      slots.sort(Comparator.comparingDouble(Slot::key).thenComparingInt(Slot::bucket));
      List<Selection.Item> items = new ArrayList<>(slots.size());
      for (Slot s : slots) {
        Bucket bk = buckets.get(s.bucket());
        int i = bk.chosen[s.index()];
        items.add(new Selection.Item(items.size() + 1, pool.id(i), i, bk.name, bk.kind,
            reason(i, bk), labelled.classes().get(pred[i]), probs[i * c + pred[i]], margin[i],
            entropy[i]));
      }
      return new Selection(strategy, budget, items, alloc, notes, new Selection.Provenance(
          pool.name(), n, pool.fingerprint(), pp.model(), analysis.provenance().fingerprint(),
          dim, seed));
    }

    String reason(int i, Bucket bk) {
      List<String> parts = new ArrayList<>();
      int shown = 0;
      for (int s = 0; s < slices.size() && shown < 2; s++) {
        if (!inSlice.isEmpty() && inSlice.get(s)[i]) {
          parts.add(slices.get(s).description().replaceAll("(^| ∧ )class ", "$1predicted class "));
          shown++;
        }
      }
      if (nearestCluster != null && clusterList.get(nearestCluster[i]).significant()) {
        parts.add("like failure cluster " + clusterList.get(nearestCluster[i]).index());
      }
      if (bk.kind.equals("confusion")) {
        parts.add("between " + labelled.classes().get(pred[i]) + " and "
            + labelled.classes().get(second[i]));
      }
      if (nearestAnchor != null && (bk.kind.equals("hard-examples"))) {
        parts.add(String.format(Locale.ROOT, "nearest failure %s (%s), distance %.3g",
            anchorIds.get(nearestAnchor[i]), anchorWhy.get(nearestAnchor[i]),
            Math.sqrt(anchorDist[i])));
      }
      if (bk.kind.equals("random")) {
        parts.add(0, "random pick");
      } else if (bk.kind.equals("diversity")) {
        parts.add(0, "far from the items already chosen");
      } else if (parts.isEmpty()) {
        parts.add("uncertain");
      }
      return String.join(", ", parts) + String.format(Locale.ROOT, "; margin %.2f", margin[i]);
    }
  }

  /** The items one scenario got, in the order chosen. */
  private record Bucket(String name, String kind, double weight, int quota, int candidates,
      int[] chosen) {}

  private static int[] sortedBy(int[] idx, java.util.function.IntToDoubleFunction key) {
    return Arrays.stream(idx).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> key.applyAsDouble(i))
            .thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
  }

  /** Splits {@code total} in proportion to {@code weights}, largest remainders first. */
  static int[] largestRemainder(int total, double[] weights) {
    double sum = Arrays.stream(weights).sum();
    int[] q = new int[weights.length];
    if (sum <= 0 || total <= 0) {
      return q;
    }
    double[] rem = new double[weights.length];
    int assigned = 0;
    for (int k = 0; k < weights.length; k++) {
      double exact = total * weights[k] / sum;
      q[k] = (int) Math.floor(exact);
      rem[k] = exact - q[k];
      assigned += q[k];
    }
    Integer[] order = IntStream.range(0, weights.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> rem[a] != rem[b] ? Double.compare(rem[b], rem[a])
        : Integer.compare(a, b));
    for (int k = 0; assigned < total; k = (k + 1) % order.length) {
      q[order[k]]++;
      assigned++;
    }
    return q;
  }
}
