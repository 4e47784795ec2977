package dev.groundwork.core.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The slice search: attributes encoded as int codes, every value and conjunction counted with
 * count arrays in one pass per attribute combination, Fisher tests, Benjamini–Hochberg over all
 * tests, then overlapping slices folded with bitsets.
 */
final class SliceFinder {

  /** At most this many significant slices (the highest-scoring) are grouped and listed. */
  static final int MAX_LISTED = 256;
  /** Combination tables up to this many cells are dense arrays; larger ones are sorted keys. */
  private static final int DENSE_LIMIT = 1 << 20;

  private SliceFinder() {}

  /** One attribute ready for counting: codes −1 (not tested) or 0..k−1, one condition per code. */
  static final class Encoded {
    final String name;
    final int[] codes;
    final Slice.Condition[] conditions;
    final String note;

    Encoded(String name, int[] codes, Slice.Condition[] conditions, String note) {
      this.name = name;
      this.codes = codes;
      this.conditions = conditions;
      this.note = note;
    }

    int k() {
      return conditions.length;
    }
  }

  static byte[] errors(ClassificationPredictions p) {
    int c = p.numClasses();
    int[] y = p.labelsView();
    byte[] err = new byte[y.length];
    for (int i = 0; i < y.length; i++) {
      err[i] = (byte) (ClassificationPredictions.argmax(p.probs, i * c, c) != y[i] ? 1 : 0);
    }
    return err;
  }

  static SliceReport find(ClassificationPredictions p, SliceOptions o,
      ClassificationProvenance provenance) {
    return find(p, errors(p), p.attributes, o, provenance);
  }

  static SliceReport find(ClassificationPredictions p, byte[] err, List<AttributeColumn> columns,
      SliceOptions o, ClassificationProvenance provenance) {
    int n = err.length;
    int totalErrors = 0;
    for (byte e : err) {
      totalErrors += e;
    }
    List<Encoded> enc = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (AttributeColumn col : columns) {
      Encoded e = encode(col, o);
      notes.add(e.note);
      if (e.k() > 0) {
        enc.add(e);
      }
    }
    Tests tests = new Tests();
    int a = enc.size();
    for (int i = 0; i < a; i++) {
      count(new Encoded[] {enc.get(i)}, new int[] {i}, err, o, n, tests);
    }
    if (o.maxOrder() >= 2) {
      for (int i = 0; i < a; i++) {
        for (int j = i + 1; j < a; j++) {
          count(new Encoded[] {enc.get(i), enc.get(j)}, new int[] {i, j}, err, o, n, tests);
        }
      }
    }
    if (o.maxOrder() >= 3) {
      for (int i = 0; i < a; i++) {
        for (int j = i + 1; j < a; j++) {
          for (int k = j + 1; k < a; k++) {
            count(new Encoded[] {enc.get(i), enc.get(j), enc.get(k)}, new int[] {i, j, k}, err,
                o, n, tests);
          }
        }
      }
    }
    int m = tests.size;
    double[] pv = new double[m];
    for (int t = 0; t < m; t++) {
      int s = tests.support[t];
      int e = tests.errors[t];
      pv[t] = FailureStatistics.fisherTwoSided(e, s - e, totalErrors - e,
          (n - s) - (totalErrors - e));
    }
    double[] q = FailureStatistics.benjaminiHochberg(pv);
    List<Slice> significant = new ArrayList<>();
    List<int[]> members = new ArrayList<>();
    for (int t = 0; t < m; t++) {
      int s = tests.support[t];
      int e = tests.errors[t];
      double rate = (double) e / s;
      double rest = (double) (totalErrors - e) / (n - s);
      if (q[t] <= o.fdr() && rate > rest) {
        List<Slice.Condition> conds = new ArrayList<>();
        int order = tests.order[t];
        int[] spec = new int[order * 2];
        for (int d = 0; d < order; d++) {
          Encoded en = enc.get(tests.attr[t * 3 + d]);
          conds.add(en.conditions[tests.code[t * 3 + d]]);
          spec[2 * d] = tests.attr[t * 3 + d];
          spec[2 * d + 1] = tests.code[t * 3 + d];
        }
        significant.add(new Slice(conds, s, e, rate, rest, rate - rest,
            rest == 0 ? Double.POSITIVE_INFINITY : rate / rest, pv[t], q[t], List.of()));
        members.add(spec);
      }
    }
    List<Slice> listed = group(significant, members, enc, err, o);
    return new SliceReport(listed, m, significant.size(), n == 0 ? 0 : (double) totalErrors / n,
        notes, o, provenance);
  }

  /** Folds overlapping slices; returns the kept ones ranked by score. */
  private static List<Slice> group(List<Slice> significant, List<int[]> specs, List<Encoded> enc,
      byte[] err, SliceOptions o) {
    int n = err.length;
    Integer[] byScore = new Integer[significant.size()];
    for (int i = 0; i < byScore.length; i++) {
      byScore[i] = i;
    }
    Comparator<Integer> score = Comparator.comparingDouble(i -> -significant.get(i).score());
    Arrays.sort(byScore, score.thenComparingInt(i -> i));
    int listed = Math.min(MAX_LISTED, byScore.length);
    Integer[] order = Arrays.copyOf(byScore, listed);
    Arrays.sort(order, Comparator.<Integer>comparingInt(i -> significant.get(i).order())
        .thenComparing(score).thenComparingInt(i -> i));
    long[] errBits = new long[(n + 63) >>> 6];
    for (int i = 0; i < n; i++) {
      if (err[i] != 0) {
        errBits[i >>> 6] |= 1L << i;
      }
    }
    List<Integer> kept = new ArrayList<>();
    List<long[]> keptBits = new ArrayList<>();
    List<List<Slice>> children = new ArrayList<>();
    for (int idx : order) {
      Slice s = significant.get(idx);
      long[] bits = membership(specs.get(idx), enc, n);
      int parent = -1;
      for (int kIdx = 0; kIdx < kept.size() && parent < 0; kIdx++) {
        Slice p = significant.get(kept.get(kIdx));
        if (p.order() > s.order() || p.support() < o.overlap() * s.support()
            || disjoint(specs.get(idx), specs.get(kept.get(kIdx)))) {
          continue;
        }
        long[] pb = keptBits.get(kIdx);
        int inter = 0;
        int interErr = 0;
        for (int w = 0; w < bits.length; w++) {
          long both = bits[w] & pb[w];
          inter += Long.bitCount(both);
          interErr += Long.bitCount(both & errBits[w]);
        }
        if (inter < o.overlap() * s.support()) {
          continue;
        }
        int restN = p.support() - inter;
        int restErr = p.errors() - interErr;
        boolean worse = false;
        if (restN > 0) {
          double sRate = s.errorRate();
          double restRate = (double) restErr / restN;
          worse = sRate > restRate && FailureStatistics.fisherTwoSided(s.errors(),
              s.support() - s.errors(), restErr, restN - restErr) <= o.fdr();
        }
        if (!worse) {
          parent = kIdx;
        }
      }
      if (parent >= 0) {
        children.get(parent).add(s);
      } else {
        kept.add(idx);
        keptBits.add(bits);
        children.add(new ArrayList<>());
      }
    }
    List<Slice> out = new ArrayList<>();
    for (int kIdx = 0; kIdx < kept.size(); kIdx++) {
      List<Slice> ch = children.get(kIdx);
      ch.sort(Comparator.comparingDouble(x -> -x.score()));
      out.add(significant.get(kept.get(kIdx)).withFolded(ch));
    }
    out.sort(Comparator.comparingDouble(x -> -x.score()));
    return out;
  }

  /** Whether two slices fix the same attribute to different values. */
  private static boolean disjoint(int[] a, int[] b) {
    for (int i = 0; i < a.length; i += 2) {
      for (int j = 0; j < b.length; j += 2) {
        if (a[i] == b[j] && a[i + 1] != b[j + 1]) {
          return true;
        }
      }
    }
    return false;
  }

  private static long[] membership(int[] spec, List<Encoded> enc, int n) {
    long[] bits = new long[(n + 63) >>> 6];
    int[] c0 = enc.get(spec[0]).codes;
    int v0 = spec[1];
    int[] c1 = spec.length > 2 ? enc.get(spec[2]).codes : null;
    int v1 = spec.length > 2 ? spec[3] : 0;
    int[] c2 = spec.length > 4 ? enc.get(spec[4]).codes : null;
    int v2 = spec.length > 4 ? spec[5] : 0;
    for (int i = 0; i < n; i++) {
      if (c0[i] == v0 && (c1 == null || c1[i] == v1) && (c2 == null || c2[i] == v2)) {
        bits[i >>> 6] |= 1L << i;
      }
    }
    return bits;
  }

  /** The tested slices in parallel primitive arrays. */
  static final class Tests {
    int size;
    int[] order = new int[256];
    int[] attr = new int[768];
    int[] code = new int[768];
    int[] support = new int[256];
    int[] errors = new int[256];

    void add(int[] attrs, int[] codes, int s, int e) {
      if (size == support.length) {
        order = Arrays.copyOf(order, size * 2);
        support = Arrays.copyOf(support, size * 2);
        errors = Arrays.copyOf(errors, size * 2);
        attr = Arrays.copyOf(attr, size * 6);
        code = Arrays.copyOf(code, size * 6);
      }
      order[size] = attrs.length;
      for (int d = 0; d < 3; d++) {
        attr[size * 3 + d] = d < attrs.length ? attrs[d] : -1;
        code[size * 3 + d] = d < codes.length ? codes[d] : -1;
      }
      support[size] = s;
      errors[size] = e;
      size++;
    }
  }

  /** Counts every combination of codes of {@code attrs} and records the testable ones. */
  private static void count(Encoded[] attrs, int[] attrIdx, byte[] err, SliceOptions o, int n,
      Tests tests) {
    int d = attrs.length;
    long cells = 1;
    for (Encoded e : attrs) {
      cells *= e.k();
    }
    int[] k = new int[d];
    for (int i = 0; i < d; i++) {
      k[i] = attrs[i].k();
    }
    if (cells <= DENSE_LIMIT) {
      int[] tot = new int[(int) cells];
      int[] er = new int[(int) cells];
      if (d == 1) {
        int[] c0 = attrs[0].codes;
        for (int i = 0; i < n; i++) {
          int a = c0[i];
          if (a >= 0) {
            tot[a]++;
            er[a] += err[i];
          }
        }
      } else if (d == 2) {
        int[] c0 = attrs[0].codes;
        int[] c1 = attrs[1].codes;
        int k1 = k[1];
        for (int i = 0; i < n; i++) {
          int a = c0[i];
          int b = c1[i];
          if ((a | b) >= 0) {
            int key = a * k1 + b;
            tot[key]++;
            er[key] += err[i];
          }
        }
      } else {
        int[] c0 = attrs[0].codes;
        int[] c1 = attrs[1].codes;
        int[] c2 = attrs[2].codes;
        int k1 = k[1];
        int k2 = k[2];
        for (int i = 0; i < n; i++) {
          int a = c0[i];
          int b = c1[i];
          int c = c2[i];
          if ((a | b | c) >= 0) {
            int key = (a * k1 + b) * k2 + c;
            tot[key]++;
            er[key] += err[i];
          }
        }
      }
      for (int key = 0; key < cells; key++) {
        if (tot[key] >= o.minSupport() && tot[key] < n) {
          tests.add(attrIdx, decode(key, k), tot[key], er[key]);
        }
      }
      return;
    }
    // sparse: sort (key << 1 | error) and count runs
    long[] keys = new long[n];
    int used = 0;
    outer:
    for (int i = 0; i < n; i++) {
      long key = 0;
      for (int j = 0; j < d; j++) {
        int c = attrs[j].codes[i];
        if (c < 0) {
          continue outer;
        }
        key = key * k[j] + c;
      }
      keys[used++] = key << 1 | err[i];
    }
    Arrays.sort(keys, 0, used);
    int start = 0;
    while (start < used) {
      long key = keys[start] >>> 1;
      int end = start;
      int e = 0;
      while (end < used && keys[end] >>> 1 == key) {
        e += (int) (keys[end] & 1);
        end++;
      }
      int s = end - start;
      if (s >= o.minSupport() && s < n) {
        tests.add(attrIdx, decode(key, k), s, e);
      }
      start = end;
    }
  }

  private static int[] decode(long key, int[] k) {
    int[] codes = new int[k.length];
    for (int j = k.length - 1; j >= 0; j--) {
      codes[j] = (int) (key % k[j]);
      key /= k[j];
    }
    return codes;
  }

  // ------------------------------------------------------------------ encoding

  /** Encodes one attribute: categorical values, or quantile bins of a numeric one. */
  static Encoded encode(AttributeColumn col, SliceOptions o) {
    double[] numbers = col.numbers;
    if (numbers == null) {
      numbers = numericView(col, o.quantileBins());
    }
    if (numbers != null) {
      return encodeNumeric(col.name, numbers, o);
    }
    int[] codes = col.codes;
    int dict = col.dictionary.length;
    int[] counts = new int[dict + 1];
    for (int c : codes) {
      counts[c + 1]++;
    }
    int[] remap = new int[dict + 1];
    List<Slice.Condition> conds = new ArrayList<>();
    int dropped = 0;
    for (int v = 0; v <= dict; v++) {
      if (counts[v] >= o.minSupport()) {
        remap[v] = conds.size();
        conds.add(v == 0 ? new Slice.Condition(col.name, "is", "missing")
            : new Slice.Condition(col.name, "=", col.dictionary[v - 1]));
      } else {
        remap[v] = -1;
        if (counts[v] > 0) {
          dropped++;
        }
      }
    }
    int[] out = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = remap[codes[i] + 1];
    }
    String note = col.name + ": " + conds.size() + " values"
        + (dropped > 0 ? " (+" + dropped + " below support)" : "");
    return new Encoded(col.name, out, conds.toArray(Slice.Condition[]::new), note);
  }

  /**
   * The numbers of a categorical column whose every value parses as a finite number and which has
   * more distinct values than quantile bins; {@code null} otherwise.
   */
  private static double[] numericView(AttributeColumn col, int bins) {
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

  private static Encoded encodeNumeric(String name, double[] x, SliceOptions o) {
    int n = x.length;
    double[] sorted = new double[n];
    int m = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        sorted[m++] = v;
      }
    }
    Arrays.sort(sorted, 0, m);
    List<Double> cuts = new ArrayList<>();
    int bins = o.quantileBins();
    for (int j = 1; j < bins && m > 0; j++) {
      int idx = (int) Math.ceil((double) j * m / bins) - 1;
      double cut = sorted[Math.max(0, idx)];
      if ((cuts.isEmpty() || cut > cuts.get(cuts.size() - 1)) && cut < sorted[m - 1]) {
        cuts.add(cut);
      }
    }
    double[] cut = cuts.stream().mapToDouble(Double::doubleValue).toArray();
    int nb = cut.length + 1;
    int[] raw = new int[n];
    int[] counts = new int[nb + 1];
    for (int i = 0; i < n; i++) {
      double v = x[i];
      int b;
      if (Double.isNaN(v)) {
        b = nb;
      } else {
        b = 0;
        while (b < cut.length && v > cut[b]) {
          b++;
        }
      }
      raw[i] = b;
      counts[b]++;
    }
    int[] remap = new int[nb + 1];
    List<Slice.Condition> conds = new ArrayList<>();
    for (int b = 0; b <= nb; b++) {
      if (counts[b] >= o.minSupport()) {
        remap[b] = conds.size();
        Slice.Condition c;
        if (b == nb) {
          c = new Slice.Condition(name, "is", "missing");
        } else if (nb == 1) {
          c = new Slice.Condition(name, "is", "present");
        } else if (b == 0) {
          c = new Slice.Condition(name, "≤", fmt(cut[0]));
        } else if (b == nb - 1) {
          c = new Slice.Condition(name, ">", fmt(cut[b - 1]));
        } else {
          c = new Slice.Condition(name, "in", "(" + fmt(cut[b - 1]) + ", " + fmt(cut[b]) + "]");
        }
        conds.add(c);
      } else {
        remap[b] = -1;
      }
    }
    for (int i = 0; i < n; i++) {
      raw[i] = remap[raw[i]];
    }
    return new Encoded(name, raw, conds.toArray(Slice.Condition[]::new),
        name + ": numeric, " + nb + " quantile bins");
  }

  static String fmt(double v) {
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
