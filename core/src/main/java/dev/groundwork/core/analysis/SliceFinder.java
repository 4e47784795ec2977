package dev.groundwork.core.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The slice search of {@link SliceReport}: a seeded class-stratified split, a coarse grid scored
 * on the discovery half with summed-area tables, exact refinement of the best, confirmation on the
 * other half.
 *
 * <p><b>Cost.</b> For each combination of d ≤ maxOrder attributes: one pass over the discovery
 * half into a table of Π K_j × C cells (K_j codes per attribute, C classes), d prefix-sum passes
 * over the table, then every box (one condition per attribute) read from 2^d corners: O(n/2 +
 * Π m_j · 2^d · C) with m_j conditions per attribute (2·(bins−1) per numeric one). With A
 * attributes that is C(A, d) such combinations. Refining a selected slice scans each of its
 * numeric attributes once in presorted order: O(n) per threshold.
 */
final class SliceFinder {

  /** A categorical attribute keeps at most this many values (the most frequent). */
  static final int MAX_VALUES = 64;
  /** An attribute combination whose count table would have more cells is skipped and noted. */
  static final long MAX_CELLS = 1L << 23;
  /** Candidates kept per confirmation slot before refinement and de-duplication. */
  static final int POOL_PER_SLOT = 5;
  /** A condition is dropped when it adds less than this to the discovery z. */
  static final double PARSIMONY_Z = 1.0;
  /** At most this many refinement rounds per selected slice. */
  static final int ROUNDS = 3;
  /** Added to the stratified variance of the discovery score. */
  static final double VARIANCE_FLOOR = 1.0;

  private SliceFinder() {}

  static byte[] errors(ClassificationPredictions p) {
    int c = p.numClasses();
    int[] y = p.labelsView();
    byte[] err = new byte[y.length];
    for (int i = 0; i < y.length; i++) {
      err[i] = (byte) (ClassificationPredictions.argmax(p.probs, i * c, c) != y[i] ? 1 : 0);
    }
    return err;
  }

  // ------------------------------------------------------------------ attributes

  /** One attribute coded for counting, with its grid conditions as code ranges [lo, hi). */
  static final class Axis {
    final String name;
    final int[] codes;
    final int k;
    /** Numeric values (NaN = missing), or null for a categorical attribute. */
    final double[] values;
    final Cond[] conds;
    final int[] lo;
    final int[] hi;
    /** The value of each categorical code; null for a numeric attribute. */
    final String[] valueNames;

    Axis(String name, int[] codes, int k, double[] values, List<Cond> conds, List<int[]> ranges,
        String[] valueNames) {
      this.name = name;
      this.valueNames = valueNames;
      this.codes = codes;
      this.k = k;
      this.values = values;
      this.conds = conds.toArray(Cond[]::new);
      this.lo = ranges.stream().mapToInt(r -> r[0]).toArray();
      this.hi = ranges.stream().mapToInt(r -> r[1]).toArray();
    }
  }

  /** The kind of a condition. */
  enum Kind { EQ, LE, GT, MISSING }

  /** A condition on one axis: {@code = code}, {@code ≤ t}, {@code > t} or missing. */
  record Cond(int axis, Kind kind, int code, double threshold) {}

  static Axis encode(String name, AttributeColumn col, SliceOptions o, List<String> notes) {
    double[] numbers = col.numbers != null ? col.numbers : numericView(col, o.quantileBins());
    if (numbers != null) {
      return encodeNumeric(name, numbers, o, notes);
    }
    int dict = col.dictionary.length;
    int[] counts = new int[dict + 1];
    for (int c : col.codes) {
      counts[c + 1]++;
    }
    boolean[] keep = keptValues(counts, o.minSupport());
    int kept = 0;
    int dropped = 0;
    for (int v = 0; v <= dict; v++) {
      kept += keep[v] ? 1 : 0;
      dropped += !keep[v] && counts[v] > 0 ? 1 : 0;
    }
    int[] remap = new int[dict + 1];
    List<Cond> conds = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    List<String> valueNames = new ArrayList<>();
    for (int v = 0; v <= dict; v++) {
      remap[v] = keep[v] ? conds.size() : -1;
      if (keep[v]) {
        ranges.add(new int[] {conds.size(), conds.size() + 1});
        conds.add(new Cond(-1, v == 0 ? Kind.MISSING : Kind.EQ, conds.size(), Double.NaN));
        valueNames.add(v == 0 ? null : col.dictionary[v - 1]);
      }
    }
    int other = conds.size();
    int[] out = new int[col.codes.length];
    for (int i = 0; i < out.length; i++) {
      int r = remap[col.codes[i] + 1];
      out[i] = r < 0 ? other : r;
    }
    notes.add(name + ": " + kept + " values" + (dropped > 0 ? " (+" + dropped
        + " below support or beyond " + MAX_VALUES + ")" : ""));
    return new Axis(name, out, other + 1, null, conds, ranges,
        valueNames.toArray(String[]::new));
  }

  /**
   * Which values of a categorical attribute get a condition: the most frequent (ties: lower
   * index first) with at least {@code minSupport} examples, at most {@value #MAX_VALUES}. Index 0
   * is the missing value.
   */
  static boolean[] keptValues(int[] counts, int minSupport) {
    int values = counts.length;
    Integer[] byCount = new Integer[values];
    for (int v = 0; v < values; v++) {
      byCount[v] = v;
    }
    Arrays.sort(byCount, Comparator.<Integer>comparingInt(v -> -counts[v]).thenComparingInt(v -> v));
    boolean[] keep = new boolean[values];
    int kept = 0;
    for (int v : byCount) {
      if (counts[v] >= minSupport && kept < MAX_VALUES) {
        keep[v] = true;
        kept++;
      }
    }
    return keep;
  }

  /**
   * The numbers of a categorical column whose every value parses as a finite number and which has
   * more distinct values than quantile bins; {@code null} otherwise.
   */
  static double[] numericView(AttributeColumn col, int bins) {
    String[] dict = col.dictionary;
    if (dict.length <= bins) {
      return null;
    }
    double[] parsed = new double[dict.length];
    for (int v = 0; v < dict.length; v++) {
      try {
        parsed[v] = Double.parseDouble(dict[v].strip());
      } catch (NumberFormatException e) {
        return null;
      }
      if (!Double.isFinite(parsed[v])) {
        return null;
      }
    }
    double[] out = new double[col.codes.length];
    for (int i = 0; i < out.length; i++) {
      int c = col.codes[i];
      out[i] = c < 0 ? Double.NaN : parsed[c];
    }
    return out;
  }

  /**
   * The positions in the sorted non-missing values whose values are the quantile cut candidates
   * ({@code ceil(j·m/bins) − 1} for j = 1 … bins − 1), then the position of the largest value;
   * empty when {@code m = 0}.
   */
  static long[] cutPositions(long m, int bins) {
    if (m == 0) {
      return new long[0];
    }
    long[] at = new long[bins];
    for (int j = 1; j < bins; j++) {
      at[j - 1] = Math.max(0, (long) Math.ceil((double) j * m / bins) - 1);
    }
    at[bins - 1] = m - 1;
    return at;
  }

  /** The distinct cut points below the largest value from the values at {@link #cutPositions}. */
  static double[] cuts(double[] atPositions) {
    int bins = atPositions.length;
    double[] cut = new double[Math.max(0, bins - 1)];
    int nc = 0;
    for (int j = 0; j + 1 < bins; j++) {
      double c = atPositions[j];
      if ((nc == 0 || c > cut[nc - 1]) && c < atPositions[bins - 1]) {
        cut[nc++] = c;
      }
    }
    return Arrays.copyOf(cut, nc);
  }

  private static Axis encodeNumeric(String name, double[] x, SliceOptions o, List<String> notes) {
    int n = x.length;
    double[] sorted = new double[n];
    int m = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        sorted[m++] = v;
      }
    }
    Arrays.sort(sorted, 0, m);
    long[] at = cutPositions(m, o.quantileBins());
    double[] atValues = new double[at.length];
    for (int j = 0; j < at.length; j++) {
      atValues[j] = sorted[(int) at[j]];
    }
    double[] cut = cuts(atValues);
    int nc = cut.length;
    int nb = nc + 1;
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      double v = x[i];
      if (Double.isNaN(v)) {
        codes[i] = nb;
      } else {
        int b = Arrays.binarySearch(cut, 0, nc, v);
        codes[i] = b >= 0 ? b : -b - 1;
      }
    }
    List<Cond> conds = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (int j = 0; j < nc; j++) {
      conds.add(new Cond(-1, Kind.LE, -1, cut[j]));
      ranges.add(new int[] {0, j + 1});
      conds.add(new Cond(-1, Kind.GT, -1, cut[j]));
      ranges.add(new int[] {j + 1, nb});
    }
    if (n - m >= o.minSupport()) {
      conds.add(new Cond(-1, Kind.MISSING, -1, Double.NaN));
      ranges.add(new int[] {nb, nb + 1});
    }
    notes.add(name + ": numeric, " + nb + " quantile bins (" + nc + " thresholds, refined)");
    return new Axis(name, codes, nb + 1, x, conds, ranges, null);
  }

  // ------------------------------------------------------------------ per-class counts

  /** Per-class examples and errors of a set of examples. */
  static final class Strata {
    final int[] n;
    final int[] e;
    final int total;
    final int errors;
    /** The hypergeometric variance factor e(n−e)/(n²(n−1)) per class. */
    final double[] varFactor;

    Strata(int[] y, byte[] err, int c, boolean[] in, boolean side) {
      this(count(y, err, c, in, side, false), count(y, err, c, in, side, true));
    }

    /** From per-class examples {@code n} and errors {@code e}. */
    Strata(int[] n, int[] e) {
      int c = n.length;
      this.n = n;
      this.e = e;
      total = Arrays.stream(n).sum();
      errors = Arrays.stream(e).sum();
      varFactor = new double[c];
      for (int k = 0; k < c; k++) {
        varFactor[k] = n[k] <= 1 ? 0
            : (double) e[k] * (n[k] - e[k]) / ((double) n[k] * n[k] * (n[k] - 1));
      }
    }

    private static int[] count(int[] y, byte[] err, int c, boolean[] in, boolean side,
        boolean errors) {
      int[] out = new int[c];
      for (int i = 0; i < y.length; i++) {
        if (in == null || in[i] == side) {
          out[y[i]] += errors ? err[i] : 1;
        }
      }
      return out;
    }

    /** The class-stratified z of a group with these per-class counts. */
    double adjustedZ(int[] s, int[] a) {
      double obs = 0;
      double exp = 0;
      double var = 0;
      for (int k = 0; k < n.length; k++) {
        if (s[k] == 0) {
          continue;
        }
        obs += a[k];
        exp += (double) s[k] * e[k] / n[k];
        var += varFactor[k] * s[k] * (n[k] - s[k]);
      }
      return var > 0 ? z(obs, exp, var) : Double.NEGATIVE_INFINITY;
    }

    /**
     * The discovery score: the continuity-corrected z with a variance floor of {@value
     * #VARIANCE_FLOOR}, so that a group holding nearly all of a class, whose variance vanishes,
     * cannot rank on a handful of errors.
     */
    static double z(double obs, double exp, double var) {
      return (obs - exp - 0.5) / Math.sqrt(var + VARIANCE_FLOOR);
    }

    /** The unstratified z of a group of {@code s} examples with {@code a} errors. */
    double rawZ(double s, double a) {
      double var = total <= 1 ? 0
          : s * (total - s) * errors * (double) (total - errors)
              / ((double) total * total * (total - 1));
      return var > 0 ? (a - s * errors / total - 0.5) / Math.sqrt(var) : Double.NEGATIVE_INFINITY;
    }
  }

  // ------------------------------------------------------------------ search

  /** A grid candidate: one condition index per axis of a combination, and its score. */
  record Candidate(int[] axes, int[] conds, double z, long seq) {}

  /** Keeps the {@code size} highest-scoring candidates. */
  static final class Pool {
    final int size;
    final PriorityQueue<Candidate> heap = new PriorityQueue<>(Comparator
        .comparingDouble(Candidate::z).thenComparing(Comparator.comparingLong(Candidate::seq)
            .reversed()));
    long seq;

    Pool(int size) {
      this.size = size;
    }

    boolean wants(double z) {
      return size > 0 && z > Double.NEGATIVE_INFINITY
          && (heap.size() < size || z > heap.peek().z());
    }

    void add(int[] axes, int[] conds, double z) {
      heap.add(new Candidate(axes.clone(), conds.clone(), z, seq++));
      if (heap.size() > size) {
        heap.poll();
      }
    }

    List<Candidate> best() {
      List<Candidate> out = new ArrayList<>(heap);
      out.sort(Comparator.comparingDouble((Candidate c) -> -c.z())
          .thenComparingLong(Candidate::seq));
      return out;
    }
  }

  static SliceReport find(ClassificationPredictions p, byte[] err, List<AttributeColumn> columns,
      SliceOptions o, long seed, ClassificationProvenance provenance) {
    int n = err.length;
    int c = p.numClasses();
    int[] y = p.labelsView();
    List<String> notes = new ArrayList<>();
    List<Axis> axes = new ArrayList<>();
    for (AttributeColumn col : columns) {
      Axis a = encode(col.name, col, o, notes);
      if (a.conds.length > 0) {
        axes.add(a);
      }
    }
    List<Cond> classConds = new ArrayList<>();
    List<int[]> classRanges = new ArrayList<>();
    for (int k = 0; k < c; k++) {
      classConds.add(new Cond(-1, Kind.EQ, k, Double.NaN));
      classRanges.add(new int[] {k, k + 1});
    }
    int classAxis = axes.size();
    axes.add(new Axis("class", y, c, null, classConds, classRanges,
        p.classes().toArray(String[]::new)));
    notes.add("class: " + c + " values, the true label (alone, a slice of it is pure class mix)");
    boolean[] disc = split(y, c, seed);
    Strata all = new Strata(y, err, c, null, true);
    Strata dS = new Strata(y, err, c, disc, true);
    Strata cS = new Strata(y, err, c, disc, false);
    int[] dIdx = new int[dS.total];
    for (int i = 0, j = 0; i < n; i++) {
      if (disc[i]) {
        dIdx[j++] = i;
      }
    }
    int minD = Math.max(1, (o.minSupport() + 1) / 2);
    Pool adj = new Pool(o.confirm() * POOL_PER_SLOT);
    Pool raw = new Pool(o.rawCandidates() * POOL_PER_SLOT);
    long scored = 0;
    int a = axes.size();
    for (int d = 1; d <= Math.min(o.maxOrder(), a); d++) {
      int[] combo = new int[d];
      for (int j = 0; j < d; j++) {
        combo[j] = j;
      }
      while (true) {
        // the raw pool takes the class alone or attributes alone: a class conjunction's raw
        // evidence is mostly its class's
        boolean withClass = combo[d - 1] == classAxis;
        scored += scan(axes, combo, dIdx, y, err, c, dS, minD, adj,
            withClass && d > 1 ? null : raw, notes);
        if (!nextCombination(combo, a)) {
          break;
        }
      }
    }
    Refiner refiner = new Refiner(axes, y, err, c, dIdx, dS, minD);
    List<Selected> chosen = new ArrayList<>();
    int adjusted = 0;
    for (Candidate cand : adj.best()) {
      if (adjusted == o.confirm()) {
        break;
      }
      Spec s = refiner.refine(Spec.of(cand, axes, classAxis, c));
      if (s != null && add(chosen, s, axes, y, n, o)) {
        adjusted++;
      }
    }
    int raws = 0;
    for (Candidate cand : raw.best()) {
      if (raws == o.rawCandidates()) {
        break;
      }
      Spec s = refiner.parsimony(Spec.of(cand, axes, classAxis, c), refiner::rawZ);
      if (add(chosen, s, axes, y, n, o)) {
        raws++;
      }
    }
    List<Slice> slices = confirm(p, axes, chosen, err, y, c, disc, all, cS, o);
    int significant = (int) slices.stream()
        .filter(s -> s.verdict() == Slice.Verdict.BEYOND_CLASS_MIX).count();
    String method = String.format(Locale.ROOT, "discovery on a seeded class-stratified half "
        + "(n=%d, seed %d), candidates scored by class-stratified z; %d refined + %d raw "
        + "candidates confirmed on the other half (n=%d): CMH one-sided and Fisher raw, "
        + "Benjamini–Hochberg over the %d", dS.total, seed, adjusted, raws, cS.total,
        chosen.size());
    return new SliceReport(slices, scored, significant, n == 0 ? 0 : (double) all.errors / n,
        method, notes, o, provenance);
  }

  /** Each class's examples shuffled with the seed, the first half (rounded alternately) kept. */
  static boolean[] split(int[] y, int c, long seed) {
    Random rng = new Random(seed);
    List<List<Integer>> byClass = new ArrayList<>();
    for (int k = 0; k < c; k++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < y.length; i++) {
      byClass.get(y[i]).add(i);
    }
    boolean[] disc = new boolean[y.length];
    boolean roundUp = true;
    for (List<Integer> members : byClass) {
      java.util.Collections.shuffle(members, rng);
      int half = members.size() / 2 + (members.size() % 2 == 1 && roundUp ? 1 : 0);
      if (members.size() % 2 == 1) {
        roundUp = !roundUp;
      }
      for (int j = 0; j < half; j++) {
        disc[members.get(j)] = true;
      }
    }
    return disc;
  }

  /** Counts one attribute combination on the discovery half and scores every box of it. */
  private static long scan(List<Axis> axes, int[] combo, int[] dIdx, int[] y, byte[] err, int c,
      Strata dS, int minD, Pool adj, Pool raw, List<String> notes) {
    int d = combo.length;
    Axis[] ax = new Axis[d];
    for (int j = 0; j < d; j++) {
      ax[j] = axes.get(combo[j]);
    }
    long cells = cells(ax, c, notes);
    if (cells < 0) {
      return 0;
    }
    // strides without the class: cell = Σ code_j·stride_j; the class is innermost
    int[] stride = strides(ax);
    int[] tot = new int[(int) cells];
    int[] er = new int[(int) cells];
    for (int i : dIdx) {
      int cell = 0;
      for (int j = 0; j < d; j++) {
        cell += ax[j].codes[i] * stride[j];
      }
      int idx = cell * c + y[i];
      tot[idx]++;
      er[idx] += err[i];
    }
    return scanTable(ax, combo, stride, tot, er, c, dS, minD, adj, raw);
  }

  /** The cells of a combination's count table (with the class), or -1 and a note when too many. */
  static long cells(Axis[] ax, int c, List<String> notes) {
    long cells = c;
    for (Axis x : ax) {
      cells *= x.k;
    }
    if (cells > MAX_CELLS) {
      StringBuilder names = new StringBuilder();
      for (Axis x : ax) {
        names.append(names.length() == 0 ? "" : " × ").append(x.name);
      }
      notes.add("skipped " + names + ": " + cells + " cells > " + MAX_CELLS);
      return -1;
    }
    return cells;
  }

  /** The strides of a combination's cells (the last axis innermost, the class inside it). */
  static int[] strides(Axis[] ax) {
    int d = ax.length;
    int[] stride = new int[d];
    stride[d - 1] = 1;
    for (int j = d - 2; j >= 0; j--) {
      stride[j] = stride[j + 1] * ax[j + 1].k;
    }
    return stride;
  }

  /**
   * Scores every box of a combination from its discovery-half count table ({@code tot}, {@code
   * er}: examples and errors per cell × class; summed in place), feeding the pools.
   */
  static long scanTable(Axis[] ax, int[] combo, int[] stride, int[] tot, int[] er, int c,
      Strata dS, int minD, Pool adj, Pool raw) {
    int d = ax.length;
    int boxes = tot.length / c;
    // inclusive prefix sums along every axis (summed-area table), class by class
    for (int j = 0; j < d; j++) {
      int s = stride[j];
      int kj = ax[j].k;
      for (int cell = 0; cell < boxes; cell++) {
        if ((cell / s) % kj == 0) {
          continue;
        }
        int to = cell * c;
        int from = (cell - s) * c;
        for (int k = 0; k < c; k++) {
          tot[to + k] += tot[from + k];
          er[to + k] += er[from + k];
        }
      }
    }
    int[] support = new int[boxes];
    for (int cell = 0; cell < boxes; cell++) {
      int sum = 0;
      for (int k = 0; k < c; k++) {
        sum += tot[cell * c + k];
      }
      support[cell] = sum;
    }
    int corners = 1 << d;
    int[] cornerCell = new int[corners];
    int[] sign = new int[corners];
    int[] ci = new int[d];
    int[] s = new int[c];
    int[] e = new int[c];
    long count = 0;
    while (true) {
      int used = 0;
      for (int m = 0; m < corners; m++) {
        int cell = 0;
        boolean empty = false;
        for (int j = 0; j < d && !empty; j++) {
          int coord = (m >> j & 1) == 1 ? ax[j].lo[ci[j]] - 1 : ax[j].hi[ci[j]] - 1;
          empty = coord < 0;
          cell += coord * stride[j];
        }
        if (!empty) {
          cornerCell[used] = cell;
          sign[used++] = (Integer.bitCount(m) & 1) == 0 ? 1 : -1;
        }
      }
      int sup = 0;
      for (int u = 0; u < used; u++) {
        sup += sign[u] * support[cornerCell[u]];
      }
      if (sup >= minD && sup < dS.total) {
        count++;
        int errs = 0;
        for (int k = 0; k < c; k++) {
          int sk = 0;
          int ek = 0;
          for (int u = 0; u < used; u++) {
            int idx = cornerCell[u] * c + k;
            sk += sign[u] * tot[idx];
            ek += sign[u] * er[idx];
          }
          s[k] = sk;
          e[k] = ek;
          errs += ek;
        }
        double z = dS.adjustedZ(s, e);
        if (adj.wants(z)) {
          adj.add(combo, ci, z);
        }
        double zr = raw == null ? Double.NEGATIVE_INFINITY : dS.rawZ(sup, errs);
        if (raw != null && raw.wants(zr)) {
          raw.add(combo, ci, zr);
        }
      }
      int j = d - 1;
      while (j >= 0 && ci[j] == ax[j].conds.length - 1) {
        ci[j] = 0;
        j--;
      }
      if (j < 0) {
        return count;
      }
      ci[j]++;
    }
  }

  // ------------------------------------------------------------------ refinement

  /** A slice under refinement: conditions on distinct axes and an optional class set. */
  record Spec(List<Cond> conds, boolean[] classes) {
    static Spec of(Candidate cand, List<Axis> axes, int classAxis, int c) {
      List<Cond> conds = new ArrayList<>();
      boolean[] classes = null;
      for (int j = 0; j < cand.axes().length; j++) {
        Cond g = axes.get(cand.axes()[j]).conds[cand.conds()[j]];
        if (cand.axes()[j] == classAxis) {
          classes = new boolean[c];
          classes[g.code()] = true;
        } else {
          conds.add(new Cond(cand.axes()[j], g.kind(), g.code(), g.threshold()));
        }
      }
      return new Spec(List.copyOf(conds), classes);
    }

    Spec with(int j, Cond replacement) {
      List<Cond> out = new ArrayList<>(conds);
      out.set(j, replacement);
      return new Spec(List.copyOf(out), classes);
    }

    Spec without(int j) {
      List<Cond> out = new ArrayList<>(conds);
      out.remove(j);
      return new Spec(List.copyOf(out), classes);
    }

    int size() {
      return conds.size() + (classes == null ? 0 : 1);
    }

    boolean holds(int i, List<Axis> axes, int[] y, int skip) {
      if (classes != null && !classes[y[i]]) {
        return false;
      }
      for (int j = 0; j < conds.size(); j++) {
        if (j != skip && !test(conds.get(j), i, axes)) {
          return false;
        }
      }
      return true;
    }

    static boolean test(Cond g, int i, List<Axis> axes) {
      Axis a = axes.get(g.axis());
      return switch (g.kind()) {
        case EQ -> a.codes[i] == g.code();
        case MISSING -> a.values != null ? Double.isNaN(a.values[i]) : a.codes[i] == g.code();
        case LE -> a.values[i] <= g.threshold();
        case GT -> a.values[i] > g.threshold();
      };
    }
  }

  /** Moves thresholds, restricts classes and drops conditions on the discovery half. */
  static class Refiner {
    final List<Axis> axes;
    final int[] y;
    final byte[] err;
    final int c;
    final int[] dIdx;
    final Strata dS;
    final int minD;
    final int[][] sorted;
    /** Per class, the discovery half's examples of that class, and those of them wrong, as bits. */
    final long[][] discClass;
    final long[][] discClassErr;
    /** Each categorical or missing condition's examples as bits, computed once. */
    final java.util.Map<Cond, long[]> condBits = new java.util.HashMap<>();

    /** Whether {@link #refine} moves thresholds (false: the grid's cut points stay). */
    boolean moveThresholds = true;

    /** A refiner that counts with {@link #countSpec} overridden (no examples held). */
    Refiner(List<Axis> axes, int c, Strata dS, int minD) {
      this.axes = axes;
      this.y = null;
      this.err = null;
      this.c = c;
      this.dIdx = null;
      this.dS = dS;
      this.minD = minD;
      this.sorted = null;
      this.discClass = null;
      this.discClassErr = null;
    }

    Refiner(List<Axis> axes, int[] y, byte[] err, int c, int[] dIdx, Strata dS, int minD) {
      this.axes = axes;
      this.y = y;
      this.err = err;
      this.c = c;
      this.dIdx = dIdx;
      this.dS = dS;
      this.minD = minD;
      this.sorted = new int[axes.size()][];
      int n = y.length;
      int words = (n + 63) >>> 6;
      discClass = new long[c][words];
      discClassErr = new long[c][words];
      for (int i : dIdx) {
        discClass[y[i]][i >>> 6] |= 1L << i;
        if (err[i] != 0) {
          discClassErr[y[i]][i >>> 6] |= 1L << i;
        }
      }
    }

    /** The discovery half's examples with a value of numeric axis {@code a}, by value. */
    int[] sortedBy(int a) {
      if (sorted[a] == null) {
        double[] v = axes.get(a).values;
        sorted[a] = Arrays.stream(dIdx).filter(i -> !Double.isNaN(v[i])).boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> v[i]).thenComparingInt(i -> i))
            .mapToInt(Integer::intValue).toArray();
      }
      return sorted[a];
    }

    /** The unstratified z of a slice on the discovery half. */
    double rawZ(Spec s) {
      int[] sk = new int[c];
      int[] ek = new int[c];
      countSpec(s, sk, ek);
      int sup = Arrays.stream(sk).sum();
      return sup >= minD && sup < dS.total ? dS.rawZ(sup, Arrays.stream(ek).sum())
          : Double.NEGATIVE_INFINITY;
    }

    /** The class-stratified discovery z of a slice on the discovery half. */
    double z(Spec s) {
      int[] sk = new int[c];
      int[] ek = new int[c];
      countSpec(s, sk, ek);
      int sup = Arrays.stream(sk).sum();
      return sup >= minD && sup < dS.total ? dS.adjustedZ(sk, ek) : Double.NEGATIVE_INFINITY;
    }

    /** Per class, the discovery half's examples and errors meeting the slice. */
    void countSpec(Spec s, int[] sk, int[] ek) {
      count(bits(s, -1), sk, ek);
    }

    /** Per class, the discovery examples and errors among {@code bits}, by popcount. */
    void count(long[] bits, int[] sk, int[] ek) {
      for (int k = 0; k < c; k++) {
        long[] dc = discClass[k];
        long[] de = discClassErr[k];
        int s = 0;
        int e = 0;
        for (int w = 0; w < bits.length; w++) {
          s += Long.bitCount(bits[w] & dc[w]);
          e += Long.bitCount(bits[w] & de[w]);
        }
        sk[k] = s;
        ek[k] = e;
      }
    }

    /** The examples (of all) meeting every condition but the {@code skip}-th, as bits. */
    long[] bits(Spec s, int skip) {
      int n = y.length;
      long[] out = new long[(n + 63) >>> 6];
      Arrays.fill(out, -1L);
      if (s.classes() != null) {
        Arrays.fill(out, 0L);
        for (int k = 0; k < c; k++) {
          if (s.classes()[k]) {
            for (int w = 0; w < out.length; w++) {
              out[w] |= discClass[k][w];
            }
          }
        }
      }
      for (int j = 0; j < s.conds().size(); j++) {
        if (j == skip) {
          continue;
        }
        long[] b = condBits(s.conds().get(j));
        for (int w = 0; w < out.length; w++) {
          out[w] &= b[w];
        }
      }
      return out;
    }

    /** A condition's members among the discovery half, as bits (cached but for thresholds). */
    long[] condBits(Cond g) {
      long[] cached = condBits.get(g);
      if (cached != null) {
        return cached;
      }
      long[] b = new long[(y.length + 63) >>> 6];
      for (int i : dIdx) {
        if (Spec.test(g, i, axes)) {
          b[i >>> 6] |= 1L << i;
        }
      }
      if (g.kind() == Kind.EQ || g.kind() == Kind.MISSING) {
        condBits.put(g, b);
      }
      return b;
    }

    /** Up to {@value #ROUNDS} rounds of thresholds, classes, thresholds, parsimony, to a fixpoint. */
    Spec refine(Spec s) {
      for (int round = 0; round < ROUNDS; round++) {
        Spec before = s;
        s = moveThresholds ? thresholds(s) : s;
        s = classes(s);
        s = moveThresholds ? thresholds(s) : s;
        s = parsimony(s, this::z);
        if (s.conds().equals(before.conds())
            && Arrays.equals(s.classes(), before.classes())) {
          break;
        }
      }
      return z(s) > Double.NEGATIVE_INFINITY ? s : null;
    }

    Spec thresholds(Spec s) {
      for (int j = 0; j < s.conds().size(); j++) {
        Cond g = s.conds().get(j);
        if (g.kind() == Kind.LE || g.kind() == Kind.GT) {
          s = s.with(j, bestThreshold(s, j, g));
        }
      }
      return s;
    }

    /** Scans the axis of condition j in sorted order, updating the stratified z incrementally. */
    Cond bestThreshold(Spec s, int j, Cond g) {
      long[] others = bits(s, j);
      int[] order = sortedBy(g.axis());
      double[] v = axes.get(g.axis()).values;
      boolean up = g.kind() == Kind.LE;
      int[] sk = new int[c];
      double obs = 0;
      double exp = 0;
      double var = 0;
      int sup = 0;
      double bestZ = Double.NEGATIVE_INFINITY;
      double bestT = g.threshold();
      int m = order.length;
      for (int t = 0; t < m; t++) {
        int i = order[up ? t : m - 1 - t];
        if ((others[i >>> 6] >>> i & 1L) != 0) {
          int k = y[i];
          var += dS.varFactor[k] * (dS.n[k] - 2.0 * sk[k] - 1);
          sk[k]++;
          exp += (double) dS.e[k] / dS.n[k];
          obs += err[i];
          sup++;
        }
        if (t + 1 == m) {
          break;
        }
        int next = order[up ? t + 1 : m - 2 - t];
        if (v[next] == v[i] || sup < minD || sup >= dS.total || var <= 0) {
          continue;
        }
        double z = Strata.z(obs, exp, var);
        if (z > bestZ) {
          bestZ = z;
          bestT = up ? v[i] : v[next];
        }
      }
      return new Cond(g.axis(), g.kind(), g.code(), bestT);
    }

    /** Restricts to the prefix of classes, by per-class z, that maximises the stratified z. */
    Spec classes(Spec s) {
      Spec open = new Spec(s.conds(), null);
      int[] sk = new int[c];
      int[] ek = new int[c];
      countSpec(open, sk, ek);
      List<Integer> present = new ArrayList<>();
      double[] zk = new double[c];
      for (int k = 0; k < c; k++) {
        double var = dS.varFactor[k] * sk[k] * (dS.n[k] - sk[k]);
        if (sk[k] > 0) {
          present.add(k);
          zk[k] = var > 0 ? (ek[k] - (double) sk[k] * dS.e[k] / dS.n[k]) / Math.sqrt(var + VARIANCE_FLOOR)
              : Double.NEGATIVE_INFINITY;
        }
      }
      present.sort(Comparator.<Integer>comparingDouble(k -> -zk[k]).thenComparingInt(k -> k));
      int[] ps = new int[c];
      int[] pe = new int[c];
      int sup = 0;
      int best = present.size();
      double bestZ = dS.adjustedZ(sk, ek);
      for (int t = 0; t + 1 < present.size(); t++) {
        int k = present.get(t);
        ps[k] = sk[k];
        pe[k] = ek[k];
        sup += sk[k];
        double z = sup >= minD ? dS.adjustedZ(ps, pe) : Double.NEGATIVE_INFINITY;
        if (z > bestZ) {
          bestZ = z;
          best = t + 1;
        }
      }
      if (best == present.size()) {
        return open;
      }
      boolean[] keep = new boolean[c];
      for (int t = 0; t < best; t++) {
        keep[present.get(t)] = true;
      }
      return new Spec(s.conds(), keep);
    }

    /** Drops, one at a time, the condition whose removal costs least, while it costs < 1 z. */
    Spec parsimony(Spec s, java.util.function.ToDoubleFunction<Spec> score) {
      double z = score.applyAsDouble(s);
      while (s.size() > 1) {
        Spec bestSpec = null;
        double bestZ = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= s.conds().size(); j++) {
          Spec t;
          if (j == s.conds().size()) {
            if (s.classes() == null) {
              continue;
            }
            t = new Spec(s.conds(), null);
          } else {
            t = s.without(j);
            if (t.conds().isEmpty()) {
              continue;
            }
          }
          double zt = score.applyAsDouble(t);
          if (zt > bestZ) {
            bestZ = zt;
            bestSpec = t;
          }
        }
        if (bestSpec == null || bestZ < z - PARSIMONY_Z) {
          return s;
        }
        s = bestSpec;
        z = bestZ;
      }
      return s;
    }
  }

  // ------------------------------------------------------------------ confirmation

  /** A selected slice with its members over all examples. */
  record Selected(Spec spec, long[] members, int support) {
    boolean has(int i) {
      return (members[i >>> 6] >>> i & 1L) != 0;
    }
  }

  /**
   * Adds the slice unless it is empty, everything, or a near-duplicate of a chosen one (sharing at
   * least {@code overlap} of the larger).
   */
  private static boolean add(List<Selected> chosen, Spec s, List<Axis> axes, int[] y, int n,
      SliceOptions o) {
    long[] m = new long[(n + 63) >>> 6];
    int sup = 0;
    for (int i = 0; i < n; i++) {
      if (s.holds(i, axes, y, -1)) {
        m[i >>> 6] |= 1L << i;
        sup++;
      }
    }
    int[] inter = new int[chosen.size()];
    int[] supports = new int[chosen.size()];
    for (int t = 0; t < chosen.size(); t++) {
      long[] om = chosen.get(t).members();
      for (int w = 0; w < m.length; w++) {
        inter[t] += Long.bitCount(m[w] & om[w]);
      }
      supports[t] = chosen.get(t).support();
    }
    if (!isNew(sup, n, inter, supports, o)) {
      return false;
    }
    chosen.add(new Selected(s, m, sup));
    return true;
  }

  /**
   * Whether a slice of {@code sup} of {@code n} examples is selected: not empty, not everything,
   * and sharing less than {@code overlap} of the larger with each chosen slice ({@code inter[t]}
   * shared with chosen slice t of {@code supports[t]}).
   */
  static boolean isNew(int sup, int n, int[] inter, int[] supports, SliceOptions o) {
    if (sup == 0 || sup == n) {
      return false;
    }
    for (int t = 0; t < inter.length; t++) {
      if (inter[t] >= o.overlap() * Math.max(sup, supports[t])) {
        return false;
      }
    }
    return true;
  }

  private static List<Slice> confirm(ClassificationPredictions p, List<Axis> axes,
      List<Selected> chosen,
      byte[] err, int[] y, int c, boolean[] disc, Strata all, Strata cS, SliceOptions o) {
    int m = chosen.size();
    int[][] confS = new int[m][c];
    int[][] confE = new int[m][c];
    int[] errors = new int[m];
    double[] expected = new double[m];
    List<List<String>> ids = new ArrayList<>();
    List<Spec> specs = new ArrayList<>();
    for (int t = 0; t < m; t++) {
      Selected sel = chosen.get(t);
      specs.add(sel.spec());
      List<String> members = new ArrayList<>(sel.support());
      for (int i = 0; i < y.length; i++) {
        if (sel.has(i)) {
          if (!disc[i]) {
            confS[t][y[i]]++;
            confE[t][y[i]] += err[i];
          }
          members.add(p.id(i));
          errors[t] += err[i];
          expected[t] += (double) all.e[y[i]] / all.n[y[i]];
        }
      }
      ids.add(members);
    }
    int[] support = chosen.stream().mapToInt(Selected::support).toArray();
    return slices(specs, confS, confE, support, errors, expected, ids, axes, p.classes(), all,
        cS, o);
  }

  /**
   * The confirmed slices from counts: per selected slice, its examples and errors per class on the
   * confirmation half, and on all examples its support, errors, class-expected errors and member
   * ids. The tests (CMH exact and Fisher, Benjamini–Hochberg over the slices) and the verdicts.
   */
  static List<Slice> slices(List<Spec> specs, int[][] confS, int[][] confE, int[] support,
      int[] errors, double[] expected, List<List<String>> ids, List<Axis> axes,
      List<String> classes, Strata all, Strata cS, SliceOptions o) {
    int m = specs.size();
    double[] adjP = new double[m];
    double[] rawP = new double[m];
    int[][] conf = new int[m][];
    double[] confExp = new double[m];
    for (int t = 0; t < m; t++) {
      int[] sk = confS[t];
      int[] ek = confE[t];
      int sup = Arrays.stream(sk).sum();
      int errs = Arrays.stream(ek).sum();
      FailureStatistics.Stratified st = FailureStatistics.stratifiedExcess(sk, ek, cS.n, cS.e);
      adjP[t] = sup == 0 ? 1 : st.pValue();
      confExp[t] = st.expected();
      rawP[t] = FailureStatistics.fisherTwoSided(errs, sup - errs, cS.errors - errs,
          (cS.total - sup) - (cS.errors - errs));
      conf[t] = new int[] {sup, errs};
    }
    double[] adjQ = FailureStatistics.benjaminiHochberg(adjP);
    double[] rawQ = FailureStatistics.benjaminiHochberg(rawP);
    List<Slice> out = new ArrayList<>();
    for (int t = 0; t < m; t++) {
      int sup = conf[t][0];
      int errs = conf[t][1];
      double restRate = cS.total == sup ? 0 : (double) (cS.errors - errs) / (cS.total - sup);
      Slice.Verdict v;
      if (adjQ[t] <= o.fdr() && errs > confExp[t]) {
        v = Slice.Verdict.BEYOND_CLASS_MIX;
      } else if (rawQ[t] <= o.fdr() && sup > 0 && (double) errs / sup > restRate) {
        v = Slice.Verdict.EXPLAINED_BY_CLASS_MIX;
      } else {
        v = Slice.Verdict.NOT_CONFIRMED;
      }
      double rest = (double) (all.errors - errors[t]) / (all.total - support[t]);
      out.add(new Slice(conditions(specs.get(t), axes, classes), support[t], errors[t],
          expected[t], rest,
          new Slice.Confirmation(sup, errs, confExp[t], adjP[t], adjQ[t], rawP[t], rawQ[t]), v,
          ids.get(t)));
    }
    out.sort(Comparator.comparing(Slice::verdict)
        .thenComparingDouble(s -> s.confirmation().adjustedPValue())
        .thenComparingDouble(s -> -s.excessErrors()).thenComparing(Slice::description));
    return out;
  }

  private static List<Slice.Condition> conditions(Spec s, List<Axis> axes,
      List<String> classes) {
    List<Slice.Condition> out = new ArrayList<>();
    for (Cond g : s.conds()) {
      Axis a = axes.get(g.axis());
      out.add(switch (g.kind()) {
        case LE -> new Slice.Condition(a.name, "≤", fmt(g.threshold()));
        case GT -> new Slice.Condition(a.name, ">", fmt(g.threshold()));
        case MISSING -> new Slice.Condition(a.name, "is", "missing");
        case EQ -> new Slice.Condition(a.name, "=", a.valueNames[g.code()]);
      });
    }
    if (s.classes() != null) {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < s.classes().length; k++) {
        if (s.classes()[k]) {
          names.add(classes.get(k));
        }
      }
      out.add(names.size() == 1 ? new Slice.Condition("class", "=", names.get(0))
          : new Slice.Condition("class", "in", "{" + String.join(", ", names) + "}"));
    }
    return out;
  }

  static String fmt(double v) {
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /**
   * Steps {@code combo} (strictly increasing indices below {@code n}) to the next combination of
   * its size in lexicographic order.
   *
   * @return false when {@code combo} was the last one (left unchanged)
   */
  static boolean nextCombination(int[] combo, int n) {
    int d = combo.length;
    int j = d - 1;
    while (j >= 0 && combo[j] == n - d + j) {
      j--;
    }
    if (j < 0) {
      return false;
    }
    combo[j]++;
    for (int t = j + 1; t < d; t++) {
      combo[t] = combo[t - 1] + 1;
    }
    return true;
  }
}
