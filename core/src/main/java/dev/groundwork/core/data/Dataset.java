package dev.groundwork.core.data;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.groundwork.core.InvalidParameterException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A sized, random-access, lazily decoded collection of labeled {@link Example}s.
 *
 * <p>A dataset is an immutable view over a {@link RecordSource}: ids, labels and metadata are read
 * without decoding, and an input is decoded only when {@link #get(int)}, iteration or batching
 * touches it, so iterating 60,000 images holds one decoded image at a time. Every operation that
 * picks examples at random takes a seed and picks the same ids for the same seed on any machine.
 *
 * <pre>{@code
 * Split fm = Datasets.fashionMnistSubset();
 * Split split = fm.train().split(0.8, 42);           // stratified 80/20
 * Dataset hundred = split.train().stratifiedSample(100, 42);
 * for (Batch b : hundred.batches(32, 7, false)) { ... }
 * }</pre>
 */
public final class Dataset implements Iterable<Example> {

  private final String name;
  private final DatasetSpec spec;
  private final RecordSource source;
  /** Positions in {@link #source}; {@code null} means all records in order. */
  private final int[] view;
  /** Applied to each decoded input; {@code null} means none. */
  private final UnaryOperator<Input> transform;
  private final String origin;
  private final LoadReport loadReport;

  private volatile Fingerprint fingerprint;
  private volatile Map<String, Integer> positionsById;

  private Dataset(String name, DatasetSpec spec, RecordSource source, int[] view,
      UnaryOperator<Input> transform, String origin, LoadReport loadReport) {
    this.name = name;
    this.spec = spec;
    this.source = source;
    this.view = view;
    this.transform = transform;
    this.origin = origin;
    this.loadReport = loadReport;
  }

  /**
   * Wraps a record source into a dataset, checking every label against the spec's classes and that
   * ids are unique.
   *
   * @throws LabelException if a record's label is outside {@code [0, classes)}
   * @throws DataFormatException if two records share an id
   */
  public static Dataset of(String name, DatasetSpec spec, RecordSource source) {
    return of(name, spec, source, LoadReport.clean(source.size()));
  }

  /** Like {@link #of(String, DatasetSpec, RecordSource)} with the loader's report attached. */
  public static Dataset of(String name, DatasetSpec spec, RecordSource source, LoadReport report) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(report, "report");
    int n = source.size();
    Set<String> seen = new HashSet<>(Math.max(16, n * 2));
    for (int i = 0; i < n; i++) {
      int label = source.label(i);
      if (label < 0 || label >= spec.numClasses()) {
        throw new LabelException(String.format(java.util.Locale.ROOT,
            "%s: record %d (id %s) has label %d, outside the %d classes %s; fix the label or "
                + "declare the missing class", source.describe(), i, source.id(i), label,
            spec.numClasses(), abbreviate(spec.classes())), source.describe(), i);
      }
      String id = source.id(i);
      if (id == null || !seen.add(id)) {
        throw new DataFormatException(source.describe() + ": record " + i + " has "
            + (id == null ? "no id" : "the id '" + id + "' already used by an earlier record")
            + "; ids must be unique", source.describe(), i, null);
      }
    }
    return new Dataset(name, spec, source, null, null, source.describe(), report);
  }

  // ---------------------------------------------------------------- accessors

  /** The dataset's name, e.g. {@code fashion-mnist/train}; derived datasets extend it. */
  public String name() {
    return name;
  }

  /** The input kind and shape and the class names. */
  public DatasetSpec spec() {
    return spec;
  }

  /** The class names, in label order. */
  public List<String> classes() {
    return spec.classes();
  }

  /** Where the records come from (file, directory, resource) and which variant was loaded. */
  public String origin() {
    return origin;
  }

  /** What the loader loaded and skipped. */
  public LoadReport loadReport() {
    return loadReport;
  }

  /** The number of examples. */
  public int size() {
    return view == null ? source.size() : view.length;
  }

  /** Whether the dataset has no examples. */
  public boolean isEmpty() {
    return size() == 0;
  }

  private int sourceIndex(int index) {
    Objects.checkIndex(index, size());
    return view == null ? index : view[index];
  }

  /** The id of example {@code index}, without decoding it. */
  public String id(int index) {
    return source.id(sourceIndex(index));
  }

  /** The label of example {@code index}, without decoding it. */
  public int label(int index) {
    return source.label(sourceIndex(index));
  }

  /** The metadata of example {@code index}, without decoding it. */
  public Map<String, String> metadata(int index) {
    return source.metadata(sourceIndex(index));
  }

  /** Decodes the input of example {@code index} (and applies {@link #map} transforms). */
  public Input input(int index) {
    int s = sourceIndex(index);
    Input in = source.decode(s);
    if (transform != null) {
      in = transform.apply(in);
      if (in == null) {
        throw new DataFormatException(name + ": the map function returned null for example "
            + source.id(s), origin, index, null);
      }
    }
    return in;
  }

  /** Decodes example {@code index}. */
  public Example get(int index) {
    int s = sourceIndex(index);
    return new Example(source.id(s), input(index), source.label(s), source.metadata(s));
  }

  /** All labels, in order. */
  public int[] labels() {
    int[] labels = new int[size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = label(i);
    }
    return labels;
  }

  /** All ids, in order. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      ids.add(id(i));
    }
    return List.copyOf(ids);
  }

  /** How many examples each class has, indexed by label. */
  public int[] classCounts() {
    int[] counts = new int[spec.numClasses()];
    for (int i = 0; i < size(); i++) {
      counts[label(i)]++;
    }
    return counts;
  }

  /** The position of the example with this id, if present. */
  public Optional<Integer> indexOf(String id) {
    return Optional.ofNullable(positionsById().get(id));
  }

  private Map<String, Integer> positionsById() {
    Map<String, Integer> m = positionsById;
    if (m == null) {
      Map<String, Integer> built = new HashMap<>(size() * 2);
      for (int i = 0; i < size(); i++) {
        built.put(id(i), i);
      }
      m = Map.copyOf(built);
      positionsById = m;
    }
    return m;
  }

  /** Iterates over the examples, decoding one at a time. */
  @Override
  public Iterator<Example> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size();
      }

      @Override
      public Example next() {
        if (next >= size()) {
          throw new NoSuchElementException();
        }
        return get(next++);
      }
    };
  }

  /** A sequential stream of the examples, decoded lazily. */
  public Stream<Example> stream() {
    return StreamSupport.stream(spliterator(), false);
  }

  // ---------------------------------------------------------------- derived datasets

  private Dataset derive(String newName, int[] positions) {
    int[] newView = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      newView[i] = sourceIndex(positions[i]);
    }
    return new Dataset(newName, spec, source, newView, transform, origin, loadReport);
  }

  /** The examples at these distinct positions, in this order. */
  public Dataset subset(int... positions) {
    java.util.BitSet seen = new java.util.BitSet(size());
    for (int p : positions) {
      InvalidParameterException.check(p >= 0 && p < size(),
          "position %d is outside %s (size %d)", p, name, size());
      InvalidParameterException.check(!seen.get(p),
          "position %d is given twice: ids must stay unique", p);
      seen.set(p);
    }
    return derive(name + "/subset(" + positions.length + ")", positions);
  }

  /**
   * The examples with these ids, in the order given.
   *
   * @throws InvalidParameterException if an id is not in this dataset or is given twice
   */
  public Dataset subsetByIds(Collection<String> ids) {
    Map<String, Integer> byId = positionsById();
    int[] positions = new int[ids.size()];
    List<String> unknown = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int k = 0;
    for (String id : ids) {
      Integer p = byId.get(id);
      if (p == null) {
        unknown.add(id);
        continue;
      }
      InvalidParameterException.check(seen.add(id), "id '%s' is given twice", id);
      positions[k++] = p;
    }
    InvalidParameterException.check(unknown.isEmpty(), "%d of the %d ids are not in %s: %s",
        unknown.size(), ids.size(), name, abbreviate(unknown));
    return derive(name + "/ids(" + ids.size() + ")", positions);
  }

  /** The examples for which {@code keep} is true (each example is decoded to test it). */
  public Dataset filter(Predicate<Example> keep) {
    Objects.requireNonNull(keep, "keep");
    int[] positions = IntStream.range(0, size()).filter(i -> keep.test(get(i))).toArray();
    return derive(name + "/filter", positions);
  }

  /** The examples whose label is one of these classes (no decoding). */
  public Dataset withClasses(Collection<String> classNames) {
    Set<Integer> labels = new HashSet<>();
    for (String c : classNames) {
      int l = spec.classes().indexOf(c);
      InvalidParameterException.check(l >= 0, "class '%s' is not one of %s", c, spec.classes());
      labels.add(l);
    }
    int[] positions = IntStream.range(0, size()).filter(i -> labels.contains(label(i))).toArray();
    return derive(name + "/classes" + classNames, positions);
  }

  /**
   * A dataset whose inputs are {@code fn} applied to these inputs, lazily at decode time; the spec
   * stays the same, so {@code fn} must keep the input shape.
   */
  public Dataset map(UnaryOperator<Input> fn) {
    return map(fn, spec);
  }

  /** Like {@link #map(UnaryOperator)} for a function that changes the input shape or kind. */
  public Dataset map(UnaryOperator<Input> fn, DatasetSpec newSpec) {
    Objects.requireNonNull(fn, "fn");
    InvalidParameterException.check(newSpec.classes().equals(spec.classes()),
        "map must keep the classes: %s has %s, the new spec %s", name, spec.classes(),
        newSpec.classes());
    UnaryOperator<Input> composed =
        transform == null ? fn : in -> fn.apply(transform.apply(in));
    return new Dataset(name + "/map", newSpec, source, view, composed, origin, loadReport);
  }

  /**
   * This dataset followed by {@code other}; both must have the same spec and distinct ids.
   *
   * @throws InvalidParameterException if the specs differ or an id is in both
   */
  public Dataset concat(Dataset other) {
    InvalidParameterException.check(spec.equals(other.spec),
        "cannot concat %s (%s) with %s (%s): the specs differ", name, spec, other.name,
        other.spec);
    for (int i = 0; i < other.size(); i++) {
      InvalidParameterException.check(!positionsById().containsKey(other.id(i)),
          "cannot concat %s with %s: id '%s' is in both", name, other.name, other.id(i));
    }
    RecordSource joined = new ConcatSource(this, other);
    return new Dataset(name + "+" + other.name, spec, joined, null, null,
        origin.equals(other.origin) ? origin : origin + " + " + other.origin,
        new LoadReport(loadReport.loaded() + other.loadReport.loaded(),
            loadReport.skipped() + other.loadReport.skipped(),
            concatProblems(loadReport.problems(), other.loadReport.problems()),
            LoadReport.capped(loadReport.warnings(), other.loadReport.warnings())));
  }

  private static List<String> concatProblems(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.subList(0, Math.min(all.size(), LoadReport.MAX_PROBLEMS));
  }

  /**
   * The same examples with some labels replaced, e.g. to fix label issues that analysis found.
   *
   * @param newClassById example id → new class name
   * @throws InvalidParameterException if an id is not in the dataset or a class is unknown
   */
  public Dataset relabel(Map<String, String> newClassById) {
    Map<String, Integer> byId = positionsById();
    Map<Integer, Integer> newLabel = new HashMap<>();
    for (Map.Entry<String, String> e : newClassById.entrySet()) {
      Integer pos = byId.get(e.getKey());
      InvalidParameterException.check(pos != null, "id '%s' is not in %s", e.getKey(), name);
      int label = spec.classes().indexOf(e.getValue());
      InvalidParameterException.check(label >= 0, "class '%s' (for id %s) is not one of %s",
          e.getValue(), e.getKey(), spec.classes());
      newLabel.put(pos, label);
    }
    RecordSource relabeled = new RelabeledSource(this, i -> {
      Integer l = newLabel.get(i);
      return l != null ? l : label(i);
    }, origin() + " (" + newLabel.size() + " labels changed)");
    return new Dataset(name + "/relabel(" + newLabel.size() + ")", spec, relabeled, null, null,
        relabeled.describe(), loadReport);
  }

  /**
   * The examples of some classes only, as a dataset of just those classes: labels are renumbered
   * in the order given, e.g. Fashion-MNIST's last five classes as a 5-class task.
   *
   * <pre>{@code
   * Dataset ours = data.train().restrictClasses(data.spec().classes().subList(5, 10));
   * }</pre>
   *
   * @throws InvalidParameterException if a class is unknown, repeated, or none is given
   */
  public Dataset restrictClasses(List<String> classNames) {
    InvalidParameterException.check(!classNames.isEmpty(), "give at least one class of %s",
        spec.classes());
    InvalidParameterException.check(new HashSet<>(classNames).size() == classNames.size(),
        "classes repeat in %s", classNames);
    Dataset kept = withClasses(classNames);
    int[] newLabel = new int[spec.numClasses()];
    java.util.Arrays.fill(newLabel, -1);
    for (int i = 0; i < classNames.size(); i++) {
      newLabel[spec.classes().indexOf(classNames.get(i))] = i;
    }
    RecordSource renumbered = new RelabeledSource(kept, i -> newLabel[kept.label(i)],
        kept.origin() + " (classes " + classNames + " only)");
    return new Dataset(name + "/only" + classNames, spec.withClasses(List.copyOf(classNames)),
        renumbered, null, null, renumbered.describe(), loadReport);
  }

  /** The examples in an order shuffled by {@code seed}. */
  public Dataset shuffle(long seed) {
    int[] positions = IntStream.range(0, size()).toArray();
    shuffleInPlace(positions, new Random(seed));
    return derive(name + "/shuffle(" + seed + ")", positions);
  }

  /**
   * A stratified train/test split: each class is split by {@code trainFraction} (rounded), so class
   * shares match the whole within one example per class.
   *
   * @param trainFraction the share of each class that goes to train, in (0, 1)
   * @param seed the same seed gives the same ids
   * @throws InvalidParameterException if the fraction is outside (0, 1)
   */
  public Split split(double trainFraction, long seed) {
    InvalidParameterException.check(trainFraction > 0 && trainFraction < 1,
        "split fraction must be in (0, 1), got %s", trainFraction);
    int[][] parts = stratifiedParts(new double[] {trainFraction, 1 - trainFraction}, seed);
    return new Split(derive(name + "/train", parts[0]), Optional.empty(),
        derive(name + "/test", parts[1]));
  }

  /**
   * A stratified train/validation/test split; the test share is what remains.
   *
   * @throws InvalidParameterException if a fraction is outside (0, 1) or they sum to 1 or more
   */
  public Split split(double trainFraction, double validationFraction, long seed) {
    InvalidParameterException.check(trainFraction > 0 && trainFraction < 1,
        "train fraction must be in (0, 1), got %s", trainFraction);
    InvalidParameterException.check(validationFraction > 0 && validationFraction < 1,
        "validation fraction must be in (0, 1), got %s", validationFraction);
    InvalidParameterException.check(trainFraction + validationFraction < 1,
        "train + validation fractions must leave a test share, got %s + %s", trainFraction,
        validationFraction);
    int[][] parts = stratifiedParts(new double[] {trainFraction, validationFraction,
        1 - trainFraction - validationFraction}, seed);
    return new Split(derive(name + "/train", parts[0]),
        Optional.of(derive(name + "/validation", parts[1])), derive(name + "/test", parts[2]));
  }

  /**
   * A stratified sample of {@code n} examples: each class gets its proportional share, rounded by
   * largest remainder, so a class's count is within one of {@code n × share}.
   *
   * @throws InvalidParameterException if {@code n} is not in {@code [1, size()]}
   */
  public Dataset stratifiedSample(int n, long seed) {
    InvalidParameterException.check(n >= 1 && n <= size(),
        "sample size must be in [1, %d] for %s, got %d", size(), name, n);
    int[][] byClass = positionsByClass(seed);
    int[] quota = largestRemainder(n, byClass);
    int[] picked = new int[n];
    int k = 0;
    for (int c = 0; c < byClass.length; c++) {
      System.arraycopy(byClass[c], 0, picked, k, quota[c]);
      k += quota[c];
    }
    Arrays.sort(picked);
    return derive(name + "/sample(" + n + ",seed=" + seed + ")", picked);
  }

  /** Positions of each class, each list shuffled by one generator seeded with {@code seed}. */
  private int[][] positionsByClass(long seed) {
    requireNonEmpty("a seeded split or sample");
    int[] counts = classCounts();
    int[][] byClass = new int[counts.length][];
    int[] fill = new int[counts.length];
    for (int c = 0; c < counts.length; c++) {
      byClass[c] = new int[counts[c]];
    }
    for (int i = 0; i < size(); i++) {
      int c = label(i);
      byClass[c][fill[c]++] = i;
    }
    Random rng = new Random(seed);
    for (int[] positions : byClass) {
      shuffleInPlace(positions, rng);
    }
    return byClass;
  }

  private int[][] stratifiedParts(double[] fractions, long seed) {
    int[][] byClass = positionsByClass(seed);
    List<List<Integer>> parts = new ArrayList<>();
    for (int p = 0; p < fractions.length; p++) {
      parts.add(new ArrayList<>());
    }
    for (int[] positions : byClass) {
      int start = 0;
      double cumulative = 0;
      for (int p = 0; p < fractions.length; p++) {
        cumulative += fractions[p];
        int end = p == fractions.length - 1
            ? positions.length : (int) Math.round(cumulative * positions.length);
        end = Math.max(start, Math.min(end, positions.length));
        for (int j = start; j < end; j++) {
          parts.get(p).add(positions[j]);
        }
        start = end;
      }
    }
    int[][] out = new int[fractions.length][];
    for (int p = 0; p < fractions.length; p++) {
      out[p] = parts.get(p).stream().mapToInt(Integer::intValue).sorted().toArray();
      if (out[p].length == 0) {
        throw new EmptyDatasetException(String.format(java.util.Locale.ROOT,
            "%s: a split with fractions %s of %d examples leaves part %d empty; use larger "
                + "fractions or more data", name, Arrays.toString(fractions), size(), p),
            origin);
      }
    }
    return out;
  }

  private static int[] largestRemainder(int n, int[][] byClass) {
    int total = 0;
    for (int[] c : byClass) {
      total += c.length;
    }
    int[] quota = new int[byClass.length];
    double[] remainder = new double[byClass.length];
    int assigned = 0;
    for (int c = 0; c < byClass.length; c++) {
      double exact = (double) n * byClass[c].length / total;
      quota[c] = (int) Math.floor(exact);
      remainder[c] = exact - quota[c];
      assigned += quota[c];
    }
    Integer[] order = new Integer[byClass.length];
    for (int c = 0; c < order.length; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (a, b) -> remainder[a] != remainder[b]
        ? Double.compare(remainder[b], remainder[a]) : Integer.compare(a, b));
    for (int k = 0; assigned < n; k = (k + 1) % order.length) {
      int c = order[k];
      if (quota[c] < byClass[c].length) {
        quota[c]++;
        assigned++;
      }
    }
    return quota;
  }

  /** Fisher–Yates with {@link Random}, whose sequence the Java spec fixes for every JVM. */
  static void shuffleInPlace(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * Throws {@link EmptyDatasetException} if the dataset is empty.
   *
   * @param purpose what needs data, for the message
   */
  public Dataset requireNonEmpty(String purpose) {
    if (isEmpty()) {
      throw new EmptyDatasetException(name + " has no examples, but " + purpose
          + " needs at least one; check the filter or the source " + origin, origin);
    }
    return this;
  }

  // ---------------------------------------------------------------- batching and provenance

  /** Batches of {@code batchSize} in dataset order, the last one possibly smaller. */
  public Batches batches(int batchSize) {
    return new Batches(this, batchSize, null, false);
  }

  /**
   * Batches of {@code batchSize} in an order shuffled by {@code shuffleSeed}.
   *
   * @param dropLast drop a last batch smaller than {@code batchSize}
   */
  public Batches batches(int batchSize, long shuffleSeed, boolean dropLast) {
    return new Batches(this, batchSize, shuffleSeed, dropLast);
  }

  /** Decodes example {@code index} into {@code dst} at {@code offset}; used by batching. */
  void decodeInto(int index, float[] dst, int offset) {
    if (transform == null && source instanceof ExactDecoder) {
      source.decodeInto(sourceIndex(index), dst, offset);
      return;
    }
    Input in = input(index);
    if (!(in instanceof TensorInput t) || !spec.matchesShape(t.shape())) {
      throw new DataFormatException(String.format(java.util.Locale.ROOT,
          "%s: example %s decodes to %s, but the spec expects a tensor of shape %s; check the map "
              + "function or the record source", name, id(index), in,
          Arrays.toString(spec.inputShape())),
          origin, index, null);
    }
    System.arraycopy(t.values(), 0, dst, offset, t.values().length);
  }

  /**
   * The content fingerprint: SHA-256 over each example's id, label and decoded input, in order.
   * Computed once (it decodes every example) and cached.
   */
  public Fingerprint fingerprint() {
    Fingerprint f = fingerprint;
    if (f == null) {
      Hasher h = Hashing.sha256().newHasher();
      h.putString(String.join("\u0000", spec.classes()), StandardCharsets.UTF_8);
      float[] buffer = spec.inputKind() == InputKind.TENSOR ? new float[spec.inputSize()] : null;
      for (int i = 0; i < size(); i++) {
        h.putString(id(i), StandardCharsets.UTF_8).putInt(label(i));
        if (buffer != null) {
          decodeInto(i, buffer, 0);
          for (float v : buffer) {
            h.putFloat(v);
          }
        } else {
          h.putString(((TextInput) input(i)).text(), StandardCharsets.UTF_8);
        }
      }
      f = new Fingerprint(h.hash().toString(), size());
      fingerprint = f;
    }
    return f;
  }

  /** A summary: name, origin, size, spec and class counts. */
  public DatasetSummary summary() {
    return new DatasetSummary(name, origin, size(), spec, classCounts(), loadReport);
  }

  /** The summary table. */
  @Override
  public String toString() {
    return summary().toString();
  }

  static String abbreviate(List<String> items) {
    return items.size() <= 12 ? items.toString()
        : items.subList(0, 12).toString().replace("]", ", … (" + items.size() + " in all)]");
  }

  /** A relabeling view; it decodes through a checked dataset, so batching can trust it. */
  /** The records of a dataset with other labels; inputs, ids and metadata pass through. */
  private static final class RelabeledSource implements RecordSource, ExactDecoder {
    private final Dataset base;
    private final java.util.function.IntUnaryOperator label;
    private final String description;

    RelabeledSource(Dataset base, java.util.function.IntUnaryOperator label, String description) {
      this.base = base;
      this.label = label;
      this.description = description;
    }

    @Override
    public int size() {
      return base.size();
    }

    @Override
    public String id(int index) {
      return base.id(index);
    }

    @Override
    public int label(int index) {
      return label.applyAsInt(index);
    }

    @Override
    public Input decode(int index) {
      return base.input(index);
    }

    @Override
    public Map<String, String> metadata(int index) {
      return base.metadata(index);
    }

    @Override
    public void decodeInto(int index, float[] dst, int offset) {
      base.decodeInto(index, dst, offset);
    }

    @Override
    public String describe() {
      return description;
    }
  }

  /** Concatenation of two datasets as one record source. */
  private static final class ConcatSource implements RecordSource, ExactDecoder {
    private final Dataset first;
    private final Dataset second;

    ConcatSource(Dataset first, Dataset second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public int size() {
      return first.size() + second.size();
    }

    @Override
    public String id(int index) {
      return index < first.size() ? first.id(index) : second.id(index - first.size());
    }

    @Override
    public int label(int index) {
      return index < first.size() ? first.label(index) : second.label(index - first.size());
    }

    @Override
    public Input decode(int index) {
      return index < first.size() ? first.input(index) : second.input(index - first.size());
    }

    @Override
    public Map<String, String> metadata(int index) {
      return index < first.size() ? first.metadata(index) : second.metadata(index - first.size());
    }

    @Override
    public void decodeInto(int index, float[] dst, int offset) {
      if (index < first.size()) {
        first.decodeInto(index, dst, offset);
      } else {
        second.decodeInto(index - first.size(), dst, offset);
      }
    }

    @Override
    public String describe() {
      return first.origin() + " + " + second.origin();
    }
  }
}
