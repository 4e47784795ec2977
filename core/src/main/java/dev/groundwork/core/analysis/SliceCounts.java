package dev.groundwork.core.analysis;

import dev.groundwork.core.InvalidParameterException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The slice search of {@link SliceReport} driven by counts, for predictions held elsewhere (e.g.
 * a Spark table): core asks a {@link Data} for a few small tables — each attribute's value counts
 * or quantile cut points, per-(cell × class) example and error counts for every attribute
 * combination, per-(membership pattern × class) counts for the selected slices — and runs the one
 * implementation of the scoring, selection, confirmation (exact CMH, Fisher) and
 * Benjamini–Hochberg steps on them. Rows never reach this class.
 *
 * <p><b>The counts mode</b> differs from the default search in three stated ways, so that every
 * step is a function of such counts:
 *
 * <ul>
 *   <li>the halves are split by a seeded hash of each example's id ({@link #inDiscovery}), not a
 *       class-stratified shuffle of row positions: the same id falls in the same half wherever the
 *       rows live;
 *   <li>numeric thresholds stay at the quantile grid's cut points (the refinement still restricts
 *       classes and drops conditions, but does not move thresholds);
 *   <li>at most 2 attribute conditions ({@code maxOrder} ≤ 2), a categorical attribute's values
 *       ordered by name (missing first) where the default search uses first appearance, and the
 *       slices list no member ids.
 * </ul>
 *
 * <pre>{@code
 * SliceReport r = SliceCounts.find(predictions, SliceOptions.defaults(), 0);   // in memory
 * SliceReport s = SliceCounts.find(sparkData, classes, options, 0, provenance); // same numbers
 * }</pre>
 */
public final class SliceCounts {

  private SliceCounts() {}

  /**
   * How the rows of one attribute are coded for counting: a numeric attribute by its cut points
   * (code j for {@code cuts[j−1] < x ≤ cuts[j]}, {@code cuts.length} above the last, {@code
   * cuts.length + 1} for missing), a categorical one by its kept values (code = index; {@code
   * null} in the list is the missing value; every other value, and missing when not kept, codes
   * {@code values.size()}).
   *
   * @param attribute the attribute's name
   * @param numeric whether it is coded by cut points
   * @param cuts the ascending cut points (numeric), else empty
   * @param values the kept values (categorical), else empty
   */
  public record Coding(String attribute, boolean numeric, double[] cuts, List<String> values) {
    /** Copies the arrays. */
    public Coding {
      Objects.requireNonNull(attribute, "attribute");
      cuts = cuts.clone();
      values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** The number of codes. */
    public int size() {
      return numeric ? cuts.length + 2 : values.size() + 1;
    }

    /** The code of a number (NaN = missing). */
    public int code(double x) {
      if (Double.isNaN(x)) {
        return cuts.length + 1;
      }
      for (int j = 0; j < cuts.length; j++) {
        if (x <= cuts[j]) {
          return j;
        }
      }
      return cuts.length;
    }

    /** The code of a categorical value ({@code null} = missing). */
    public int code(String value) {
      int i = values.indexOf(value);
      return i < 0 ? values.size() : i;
    }
  }

  /**
   * A selected slice as code ranges: a row is in it when, for every j, {@code lo[j] ≤
   * code(codings[j]) < hi[j]}, and its label is in {@code classes} (when not null).
   *
   * @param codings indices into the coding list
   * @param lo the lowest code per condition
   * @param hi one past the highest code per condition
   * @param classes the labels it holds, or {@code null} for all
   */
  public record Box(int[] codings, int[] lo, int[] hi, boolean[] classes) {
    /** Whether a row with these codes (one per coding) and label is in the box. */
    public boolean contains(int[] codes, int label) {
      if (classes != null && !classes[label]) {
        return false;
      }
      for (int j = 0; j < codings.length; j++) {
        int v = codes[codings[j]];
        if (v < lo[j] || v >= hi[j]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * A categorical attribute's most frequent values.
   *
   * @param top the values (key {@code null} = missing) with at least the asked support, the
   *     asked number of the most frequent (ties: missing first, then by name), with their counts
   * @param distinct how many values (missing counted as one) occur at all
   */
  public record ValueCounts(Map<String, Long> top, long distinct) {}

  /**
   * The predictions, wherever they are, answering count queries. Each row has an id, a label
   * (class index), whether it is predicted wrongly, and its attribute values. A row is in the
   * discovery half when {@link #inDiscovery}{@code (id, seed)}.
   */
  public interface Data {
    /** The attribute names, in order. */
    List<String> attributes();

    /**
     * Whether the attribute is numeric: given as numbers, or text whose every value parses as a
     * finite number ({@link #number}) with more than {@code bins} distinct values.
     */
    boolean numeric(String attribute, int bins);

    /** A categorical attribute's values with at least {@code minSupport} rows, at most {@code limit}. */
    ValueCounts valueCounts(String attribute, int minSupport, int limit);

    /** A numeric attribute's rows with a value (not missing). */
    long present(String attribute);

    /** The values at these 0-based positions of a numeric attribute's sorted present values. */
    double[] sortedValuesAt(String attribute, long[] positions);

    /**
     * Example and error counts per cell and class, for each subset of the codings: for subset s
     * (ascending coding indices; the cell is {@code Σ code_j·stride_j}, the last coding innermost)
     * a {@code long[2 · cells · classes · 2]} at {@code ((half·cells + cell)·classes + label)·2 +
     * (0 examples | 1 errors)}, half 0 the discovery half.
     */
    List<long[]> cellCounts(List<Coding> codings, List<int[]> subsets, int classes, long seed);

    /**
     * Example and error counts per membership pattern (which boxes hold a row), half and class:
     * each pattern's {@code long[2 · classes · 2]} at {@code ((half·classes + label)·2 + (0 | 1))}.
     */
    Map<BitSet, long[]> memberships(List<Coding> codings, List<Box> boxes, int classes,
        long seed);
  }

  /** Whether the example with this id is in the discovery half under {@code seed}. */
  public static boolean inDiscovery(String id, long seed) {
    long h = 0xCBF29CE484222325L ^ seed;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L;
    }
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    return h >= 0;
  }

  /** A text value read as a finite number ({@code strip()} then {@code parseDouble}), or null. */
  public static Double number(String value) {
    if (value == null) {
      return null;
    }
    try {
      double v = Double.parseDouble(value.strip());
      return Double.isFinite(v) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The counts-mode search over in-memory predictions (the reference for other {@link Data}). */
  public static SliceReport find(ClassificationPredictions p, SliceOptions o, long seed) {
    ClassificationProvenance prov = ClassificationProvenance.of(p, seed, o);
    return find(new MemoryData(p), p.classes(), o, seed, prov);
  }

  /**
   * The counts-mode search over {@code data}.
   *
   * @throws InvalidParameterException if {@code maxOrder} > 2
   */
  public static SliceReport find(Data data, List<String> classes, SliceOptions o, long seed,
      ClassificationProvenance provenance) {
    InvalidParameterException.check(o.maxOrder() <= 2, "the counts search takes up to 2 "
        + "attribute conditions, got maxOrder %s; set SliceOptions.maxOrder(2)", o.maxOrder());
    int c = classes.size();
    List<String> notes = new ArrayList<>();
    long[] base = data.cellCounts(List.of(), List.<int[]>of(new int[0]), c, seed).get(0);
    int[][] halfN = new int[2][c];
    int[][] halfE = new int[2][c];
    long total = 0;
    for (int h = 0; h < 2; h++) {
      for (int k = 0; k < c; k++) {
        halfN[h][k] = toInt(base[(h * c + k) * 2]);
        halfE[h][k] = toInt(base[(h * c + k) * 2 + 1]);
        total += halfN[h][k];
      }
    }
    toInt(total);
    int[] allN = new int[c];
    int[] allE = new int[c];
    for (int k = 0; k < c; k++) {
      allN[k] = halfN[0][k] + halfN[1][k];
      allE[k] = halfE[0][k] + halfE[1][k];
    }
    SliceFinder.Strata all = new SliceFinder.Strata(allN, allE);
    SliceFinder.Strata dS = new SliceFinder.Strata(halfN[0], halfE[0]);
    SliceFinder.Strata cS = new SliceFinder.Strata(halfN[1], halfE[1]);
    int n = all.total;

    List<SliceFinder.Axis> axes = new ArrayList<>();
    List<Coding> codings = new ArrayList<>();
    for (String name : data.attributes()) {
      SliceFinder.Axis a;
      Coding coding;
      List<SliceFinder.Cond> conds = new ArrayList<>();
      List<int[]> ranges = new ArrayList<>();
      if (data.numeric(name, o.quantileBins())) {
        long m = data.present(name);
        long[] at = SliceFinder.cutPositions(m, o.quantileBins());
        double[] cut = SliceFinder.cuts(at.length == 0 ? new double[0]
            : data.sortedValuesAt(name, at));
        int nc = cut.length;
        int nb = nc + 1;
        for (int j = 0; j < nc; j++) {
          conds.add(new SliceFinder.Cond(-1, SliceFinder.Kind.LE, -1, cut[j]));
          ranges.add(new int[] {0, j + 1});
          conds.add(new SliceFinder.Cond(-1, SliceFinder.Kind.GT, -1, cut[j]));
          ranges.add(new int[] {j + 1, nb});
        }
        if (n - m >= o.minSupport()) {
          conds.add(new SliceFinder.Cond(-1, SliceFinder.Kind.MISSING, -1, Double.NaN));
          ranges.add(new int[] {nb, nb + 1});
        }
        notes.add(name + ": numeric, " + nb + " quantile bins (" + nc + " thresholds, fixed)");
        a = new SliceFinder.Axis(name, null, nb + 1, new double[0], conds, ranges, null);
        coding = new Coding(name, true, cut, List.of());
      } else {
        ValueCounts vc = data.valueCounts(name, o.minSupport(), SliceFinder.MAX_VALUES);
        List<String> values = new ArrayList<>(vc.top().keySet());
        values.sort(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        if (!values.contains(null)) {
          values.add(0, null);
        }
        int[] counts = new int[values.size()];
        for (int v = 0; v < counts.length; v++) {
          counts[v] = toInt(vc.top().getOrDefault(values.get(v), 0L));
        }
        boolean[] keep = SliceFinder.keptValues(counts, o.minSupport());
        List<String> kept = new ArrayList<>();
        List<String> valueNames = new ArrayList<>();
        for (int v = 0; v < counts.length; v++) {
          if (keep[v]) {
            ranges.add(new int[] {conds.size(), conds.size() + 1});
            conds.add(new SliceFinder.Cond(-1, v == 0 ? SliceFinder.Kind.MISSING
                : SliceFinder.Kind.EQ, conds.size(), Double.NaN));
            valueNames.add(values.get(v));
            kept.add(values.get(v));
          }
        }
        long dropped = vc.distinct() - kept.size();
        notes.add(name + ": " + kept.size() + " values" + (dropped > 0 ? " (+" + dropped
            + " below support or beyond " + SliceFinder.MAX_VALUES + ")" : ""));
        a = new SliceFinder.Axis(name, null, kept.size() + 1, null, conds, ranges,
            valueNames.toArray(String[]::new));
        coding = new Coding(name, false, new double[0], kept);
      }
      if (a.conds.length > 0) {
        axes.add(a);
        codings.add(coding);
      }
    }
    List<SliceFinder.Cond> classConds = new ArrayList<>();
    List<int[]> classRanges = new ArrayList<>();
    for (int k = 0; k < c; k++) {
      classConds.add(new SliceFinder.Cond(-1, SliceFinder.Kind.EQ, k, Double.NaN));
      classRanges.add(new int[] {k, k + 1});
    }
    int classAxis = axes.size();
    axes.add(new SliceFinder.Axis("class", null, c, null, classConds, classRanges,
        classes.toArray(String[]::new)));
    notes.add("class: " + c + " values, the true label (alone, a slice of it is pure class mix)");

    // the combinations, and the attribute subsets whose tables they read
    List<int[]> combos = new ArrayList<>();
    Map<List<Integer>, Integer> subsetIndex = new LinkedHashMap<>();
    int na = axes.size();
    for (int d = 1; d <= Math.min(o.maxOrder(), na); d++) {
      int[] combo = new int[d];
      for (int j = 0; j < d; j++) {
        combo[j] = j;
      }
      while (true) {
        SliceFinder.Axis[] ax = new SliceFinder.Axis[d];
        for (int j = 0; j < d; j++) {
          ax[j] = axes.get(combo[j]);
        }
        if (SliceFinder.cells(ax, c, notes) >= 0) {
          combos.add(combo.clone());
          subsetIndex.putIfAbsent(attributesOf(combo, classAxis), subsetIndex.size());
        }
        if (!SliceFinder.nextCombination(combo, na)) {
          break;
        }
      }
    }
    // parsimony reads the tables of every sub-combination
    for (List<Integer> s : new ArrayList<>(subsetIndex.keySet())) {
      for (int drop = 0; drop < s.size(); drop++) {
        List<Integer> sub = new ArrayList<>(s);
        sub.remove(drop);
        subsetIndex.putIfAbsent(sub, subsetIndex.size());
      }
    }
    List<int[]> subsets = subsetIndex.keySet().stream()
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    List<long[]> counted = subsets.isEmpty() ? List.of()
        : data.cellCounts(codings, subsets, c, seed);
    Map<List<Integer>, long[]> tables = new HashMap<>();
    for (Map.Entry<List<Integer>, Integer> e : subsetIndex.entrySet()) {
      tables.put(e.getKey(), counted.get(e.getValue()));
    }
    tables.put(List.of(), base);

    int minD = Math.max(1, (o.minSupport() + 1) / 2);
    SliceFinder.Pool adj = new SliceFinder.Pool(o.confirm() * SliceFinder.POOL_PER_SLOT);
    SliceFinder.Pool raw = new SliceFinder.Pool(o.rawCandidates() * SliceFinder.POOL_PER_SLOT);
    long scored = 0;
    for (int[] combo : combos) {
      int d = combo.length;
      SliceFinder.Axis[] ax = new SliceFinder.Axis[d];
      for (int j = 0; j < d; j++) {
        ax[j] = axes.get(combo[j]);
      }
      boolean withClass = combo[d - 1] == classAxis;
      List<Integer> attrs = attributesOf(combo, classAxis);
      long[] t = tables.get(attrs);
      int cellsT = cellsOf(attrs, codings);
      int[] tot = new int[(int) SliceFinder.cells(ax, c, new ArrayList<>())];
      int[] er = new int[tot.length];
      for (int cell = 0; cell < cellsT; cell++) {
        for (int k = 0; k < c; k++) {
          int src = (cell * c + k) * 2;
          int dst = withClass ? (cell * c + k) * c + k : cell * c + k;
          tot[dst] = (int) t[src];
          er[dst] = (int) t[src + 1];
        }
      }
      scored += SliceFinder.scanTable(ax, combo, SliceFinder.strides(ax), tot, er, c, dS, minD,
          adj, withClass && d > 1 ? null : raw);
    }

    CountsRefiner refiner = new CountsRefiner(axes, codings, tables, c, dS, minD);
    List<SliceFinder.Spec> adjSpecs = new ArrayList<>();
    for (SliceFinder.Candidate cand : adj.best()) {
      adjSpecs.add(refiner.refine(SliceFinder.Spec.of(cand, axes, classAxis, c)));
    }
    List<SliceFinder.Spec> rawSpecs = new ArrayList<>();
    for (SliceFinder.Candidate cand : raw.best()) {
      rawSpecs.add(refiner.parsimony(SliceFinder.Spec.of(cand, axes, classAxis, c),
          refiner::rawZ));
    }
    // one box per distinct spec, counted by membership pattern in one query
    Map<String, Integer> boxIndex = new LinkedHashMap<>();
    List<Box> boxes = new ArrayList<>();
    for (List<SliceFinder.Spec> list : List.of(adjSpecs, rawSpecs)) {
      for (SliceFinder.Spec s : list) {
        if (s != null && boxIndex.putIfAbsent(key(s), boxes.size()) == null) {
          boxes.add(refiner.box(s));
        }
      }
    }
    Map<BitSet, long[]> patterns = boxes.isEmpty() ? Map.of()
        : data.memberships(codings, boxes, c, seed);
    Members members = new Members(patterns, boxes.size(), c);

    List<SliceFinder.Spec> chosen = new ArrayList<>();
    List<Integer> chosenBox = new ArrayList<>();
    int adjusted = 0;
    for (SliceFinder.Spec s : adjSpecs) {
      if (adjusted == o.confirm()) {
        break;
      }
      if (s != null && select(chosen, chosenBox, s, boxIndex.get(key(s)), members, n, o)) {
        adjusted++;
      }
    }
    int raws = 0;
    for (SliceFinder.Spec s : rawSpecs) {
      if (raws == o.rawCandidates()) {
        break;
      }
      if (select(chosen, chosenBox, s, boxIndex.get(key(s)), members, n, o)) {
        raws++;
      }
    }
    int m = chosen.size();
    int[][] confS = new int[m][c];
    int[][] confE = new int[m][c];
    int[] support = new int[m];
    int[] errors = new int[m];
    double[] expected = new double[m];
    List<List<String>> ids = new ArrayList<>();
    for (int t = 0; t < m; t++) {
      int b = chosenBox.get(t);
      for (int k = 0; k < c; k++) {
        confS[t][k] = members.count(b, 1, k, 0);
        confE[t][k] = members.count(b, 1, k, 1);
        int sk = members.count(b, 0, k, 0) + confS[t][k];
        support[t] += sk;
        errors[t] += members.count(b, 0, k, 1) + confE[t][k];
        expected[t] += sk == 0 ? 0 : sk * ((double) all.e[k] / all.n[k]);
      }
      ids.add(List.of());
    }
    List<Slice> slices = SliceFinder.slices(chosen, confS, confE, support, errors, expected, ids,
        axes, classes, all, cS, o);
    int significant = (int) slices.stream()
        .filter(s -> s.verdict() == Slice.Verdict.BEYOND_CLASS_MIX).count();
    String method = String.format(Locale.ROOT, "counts mode: discovery on the half chosen by a "
        + "seeded hash of the id (n=%d, seed %d), candidates scored by class-stratified z on "
        + "fixed quantile thresholds; %d refined + %d raw candidates confirmed on the other half "
        + "(n=%d): CMH one-sided and Fisher raw, Benjamini–Hochberg over the %d", dS.total, seed,
        adjusted, raws, cS.total, chosen.size());
    return new SliceReport(slices, scored, significant, n == 0 ? 0 : (double) all.errors / n,
        method, notes, o, provenance);
  }

  private static boolean select(List<SliceFinder.Spec> chosen, List<Integer> chosenBox,
      SliceFinder.Spec s, int b, Members members, int n, SliceOptions o) {
    int[] inter = new int[chosen.size()];
    int[] supports = new int[chosen.size()];
    for (int t = 0; t < chosen.size(); t++) {
      inter[t] = members.both(b, chosenBox.get(t));
      supports[t] = members.both(chosenBox.get(t), chosenBox.get(t));
    }
    if (!SliceFinder.isNew(members.both(b, b), n, inter, supports, o)) {
      return false;
    }
    chosen.add(s);
    chosenBox.add(b);
    return true;
  }

  private static String key(SliceFinder.Spec s) {
    return s.conds() + "|" + Arrays.toString(s.classes());
  }

  private static List<Integer> attributesOf(int[] combo, int classAxis) {
    List<Integer> out = new ArrayList<>();
    for (int a : combo) {
      if (a != classAxis) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  private static int cellsOf(List<Integer> attrs, List<Coding> codings) {
    int cells = 1;
    for (int a : attrs) {
      cells *= codings.get(a).size();
    }
    return cells;
  }

  private static int toInt(long v) {
    InvalidParameterException.check(v <= Integer.MAX_VALUE, "%s examples; the slice search "
        + "counts up to %s (int): analyse a sample or split the table", v, Integer.MAX_VALUE);
    return (int) v;
  }

  /** The membership-pattern counts, read per box and per pair of boxes. */
  private static final class Members {
    final List<BitSet> keys = new ArrayList<>();
    final List<long[]> values = new ArrayList<>();
    final int c;

    Members(Map<BitSet, long[]> patterns, int boxes, int c) {
      this.c = c;
      patterns.forEach((k, v) -> {
        keys.add(k);
        values.add(v);
      });
    }

    /** Examples (stat 0) or errors (stat 1) of box b in half h and class k. */
    int count(int b, int h, int k, int stat) {
      long s = 0;
      for (int p = 0; p < keys.size(); p++) {
        if (keys.get(p).get(b)) {
          s += values.get(p)[(h * c + k) * 2 + stat];
        }
      }
      return toInt(s);
    }

    /** Examples (both halves) in boxes a and b. */
    int both(int a, int b) {
      long s = 0;
      for (int p = 0; p < keys.size(); p++) {
        if (keys.get(p).get(a) && keys.get(p).get(b)) {
          long[] v = values.get(p);
          for (int i = 0; i < v.length; i += 2) {
            s += v[i];
          }
        }
      }
      return toInt(s);
    }
  }

  /** The refinement (classes, parsimony; thresholds fixed) reading discovery counts from tables. */
  private static final class CountsRefiner extends SliceFinder.Refiner {
    final List<Coding> codings;
    final Map<List<Integer>, long[]> tables;

    CountsRefiner(List<SliceFinder.Axis> axes, List<Coding> codings,
        Map<List<Integer>, long[]> tables, int c, SliceFinder.Strata dS, int minD) {
      super(axes, c, dS, minD);
      this.codings = codings;
      this.tables = tables;
      this.moveThresholds = false;
    }

    int[] range(SliceFinder.Cond g) {
      SliceFinder.Axis a = axes.get(g.axis());
      for (int i = 0; i < a.conds.length; i++) {
        SliceFinder.Cond x = a.conds[i];
        if (x.kind() == g.kind() && x.code() == g.code()
            && Double.compare(x.threshold(), g.threshold()) == 0) {
          return new int[] {a.lo[i], a.hi[i]};
        }
      }
      throw new IllegalStateException("no grid condition " + g);
    }

    Box box(SliceFinder.Spec s) {
      int d = s.conds().size();
      int[] idx = new int[d];
      int[] lo = new int[d];
      int[] hi = new int[d];
      for (int j = 0; j < d; j++) {
        idx[j] = s.conds().get(j).axis();
        int[] r = range(s.conds().get(j));
        lo[j] = r[0];
        hi[j] = r[1];
      }
      return new Box(idx, lo, hi, s.classes() == null ? null : s.classes().clone());
    }

    @Override
    void countSpec(SliceFinder.Spec s, int[] sk, int[] ek) {
      Box b = box(s);
      List<Integer> attrs = Arrays.stream(b.codings()).boxed().toList();
      long[] t = tables.get(attrs);
      if (t == null) {
        throw new IllegalStateException("no counts for attributes " + attrs);
      }
      int cells = cellsOf(attrs, codings);
      Arrays.fill(sk, 0);
      Arrays.fill(ek, 0);
      int[] code = new int[attrs.size()];
      for (int cell = 0; cell < cells; cell++) {
        int rest = cell;
        boolean in = true;
        for (int j = attrs.size() - 1; j >= 0; j--) {
          int size = codings.get(attrs.get(j)).size();
          code[j] = rest % size;
          rest /= size;
          in &= code[j] >= b.lo()[j] && code[j] < b.hi()[j];
        }
        if (!in) {
          continue;
        }
        for (int k = 0; k < c; k++) {
          if (b.classes() == null || b.classes()[k]) {
            sk[k] += (int) t[(cell * c + k) * 2];
            ek[k] += (int) t[(cell * c + k) * 2 + 1];
          }
        }
      }
    }
  }

  /** {@link Data} over in-memory predictions: the reference the other implementations match. */
  static final class MemoryData implements Data {
    final ClassificationPredictions p;
    final byte[] err;
    final int[] y;
    final Map<String, AttributeColumn> columns = new LinkedHashMap<>();

    MemoryData(ClassificationPredictions p) {
      this.p = p;
      this.err = SliceFinder.errors(p);
      this.y = p.labelsView();
      for (AttributeColumn a : p.attributes) {
        columns.put(a.name, a);
      }
    }

    @Override
    public List<String> attributes() {
      return List.copyOf(columns.keySet());
    }

    @Override
    public boolean numeric(String attribute, int bins) {
      AttributeColumn a = columns.get(attribute);
      return a.numbers != null || SliceFinder.numericView(a, bins) != null;
    }

    /** The numbers of a numeric attribute (−0 as 0, NaN = missing). */
    double[] numbers(String attribute) {
      AttributeColumn a = columns.get(attribute);
      double[] x = a.numbers != null ? a.numbers.clone() : new double[a.codes.length];
      if (a.numbers == null) {
        for (int i = 0; i < x.length; i++) {
          Double v = a.codes[i] < 0 ? null : number(a.dictionary[a.codes[i]]);
          x[i] = v == null ? Double.NaN : v;
        }
      }
      for (int i = 0; i < x.length; i++) {
        x[i] += 0.0;
      }
      return x;
    }

    @Override
    public ValueCounts valueCounts(String attribute, int minSupport, int limit) {
      AttributeColumn a = columns.get(attribute);
      Map<String, Long> all = new HashMap<>();
      for (int code : a.codes) {
        all.merge(code < 0 ? null : a.dictionary[code], 1L, Long::sum);
      }
      List<Map.Entry<String, Long>> e = new ArrayList<>(all.entrySet());
      e.removeIf(x -> x.getValue() < minSupport);
      e.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(
          Map.Entry.comparingByKey(java.util.Comparator.nullsFirst(
              java.util.Comparator.naturalOrder()))));
      Map<String, Long> top = new LinkedHashMap<>();
      for (Map.Entry<String, Long> x : e.subList(0, Math.min(limit, e.size()))) {
        top.put(x.getKey(), x.getValue());
      }
      return new ValueCounts(top, all.size());
    }

    @Override
    public long present(String attribute) {
      return Arrays.stream(numbers(attribute)).filter(v -> !Double.isNaN(v)).count();
    }

    @Override
    public double[] sortedValuesAt(String attribute, long[] positions) {
      double[] s = Arrays.stream(numbers(attribute)).filter(v -> !Double.isNaN(v)).sorted()
          .toArray();
      double[] out = new double[positions.length];
      for (int j = 0; j < out.length; j++) {
        out[j] = s[(int) positions[j]];
      }
      return out;
    }

    int[][] codes(List<Coding> codings) {
      int[][] codes = new int[y.length][codings.size()];
      for (int j = 0; j < codings.size(); j++) {
        Coding g = codings.get(j);
        if (g.numeric()) {
          double[] x = numbers(g.attribute());
          for (int i = 0; i < y.length; i++) {
            codes[i][j] = g.code(x[i]);
          }
        } else {
          AttributeColumn a = columns.get(g.attribute());
          for (int i = 0; i < y.length; i++) {
            codes[i][j] = g.code(a.codes[i] < 0 ? null : a.dictionary[a.codes[i]]);
          }
        }
      }
      return codes;
    }

    @Override
    public List<long[]> cellCounts(List<Coding> codings, List<int[]> subsets, int classes,
        long seed) {
      int[][] codes = codes(codings);
      List<long[]> out = new ArrayList<>();
      for (int[] s : subsets) {
        int cells = 1;
        for (int j : s) {
          cells *= codings.get(j).size();
        }
        long[] t = new long[2 * cells * classes * 2];
        for (int i = 0; i < y.length; i++) {
          int cell = 0;
          for (int j : s) {
            cell = cell * codings.get(j).size() + codes[i][j];
          }
          int h = inDiscovery(p.id(i), seed) ? 0 : 1;
          int at = ((h * cells + cell) * classes + y[i]) * 2;
          t[at]++;
          t[at + 1] += err[i];
        }
        out.add(t);
      }
      return out;
    }

    @Override
    public Map<BitSet, long[]> memberships(List<Coding> codings, List<Box> boxes, int classes,
        long seed) {
      int[][] codes = codes(codings);
      Map<BitSet, long[]> out = new HashMap<>();
      for (int i = 0; i < y.length; i++) {
        BitSet in = new BitSet(boxes.size());
        for (int b = 0; b < boxes.size(); b++) {
          if (boxes.get(b).contains(codes[i], y[i])) {
            in.set(b);
          }
        }
        long[] v = out.computeIfAbsent(in, k -> new long[2 * classes * 2]);
        int h = inDiscovery(p.id(i), seed) ? 0 : 1;
        v[(h * classes + y[i]) * 2]++;
        v[(h * classes + y[i]) * 2 + 1] += err[i];
      }
      return out;
    }
  }
}
