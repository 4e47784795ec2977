package dev.groundwork.core.collect;

import dev.groundwork.core.AtomicFiles;
import dev.groundwork.core.data.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The pool items chosen for labelling, best first, each with the scenario it serves and why; how
 * the budget was spread; and where the numbers come from. Written by {@link PoolMiner#select}.
 *
 * <pre>{@code
 * Selection s = miner.select(poolPredictions, 500, PoolMiner.Strategy.MIXED, 7);
 * System.out.println(s);                       // allocation and the first items
 * s.writeLabelStudio(Path.of("tasks.json"), "image", id -> "/data/local-files/?d=" + id + ".png");
 * }</pre>
 *
 * @param strategy the strategy used
 * @param budget the number of items asked for (the size of {@link #items()})
 * @param items the chosen items, rank 1 first; any prefix is a balanced smaller selection
 * @param allocation how the budget was spread across scenarios, in the order they were served
 * @param notes what the strategy could not use and why (e.g. no embeddings for nearness)
 * @param provenance what the selection was computed from
 */
public record Selection(PoolMiner.Strategy strategy, int budget, List<Item> items,
    List<Allocation> allocation, List<String> notes, Provenance provenance) {

  /**
   * One chosen item.
   *
   * @param rank 1 for the first item
   * @param id the pool item's id
   * @param poolIndex its position in the pool
   * @param scenario the scenario it serves ({@code image.contrast ≤ 0.2 ∧ class in {Shirt}},
   *     {@code cluster 3}, {@code Shirt → T-shirt/top}, {@code uncertainty}, {@code random})
   * @param kind slice, cluster, confusion, hard-examples, uncertainty, diversity or random
   * @param reason why, in words: the failure scenarios it matches and its margin
   * @param predicted the model's predicted class
   * @param confidence the predicted class's probability
   * @param margin top probability minus the second
   * @param entropy the entropy of the probabilities, in nats
   */
  public record Item(int rank, String id, int poolIndex, String scenario, String kind,
      String reason, String predicted, double confidence, double margin, double entropy) {}

  /**
   * The share of the budget one scenario received.
   *
   * @param scenario the scenario
   * @param kind its kind
   * @param weight its weight in the split (the plan's excess errors; 0 for the uncertainty share)
   * @param quota the items it was allotted
   * @param candidates the pool items that match it
   * @param picked the items it got (below the quota when it had too few candidates)
   */
  public record Allocation(String scenario, String kind, double weight, int quota,
      int candidates, int picked) {}

  /**
   * What a selection was computed from.
   *
   * @param pool the pool's name
   * @param poolSize its items
   * @param poolFingerprint the pool's content fingerprint ({@link UnlabeledPool#fingerprint()}:
   *     ids and inputs), to tie the list to the exact pool it was chosen from
   * @param model the model that predicted the pool
   * @param analysis the fingerprint of the predictions the failure analysis analysed
   * @param embeddingDim the embedding dimension used, 0 if none
   * @param seed the seed (random strategy and ties)
   */
  public record Provenance(String pool, int poolSize, Fingerprint poolFingerprint, String model,
      Fingerprint analysis, int embeddingDim, long seed) {

    /** Checks the fingerprints are there. */
    public Provenance {
      Objects.requireNonNull(poolFingerprint, "poolFingerprint");
      Objects.requireNonNull(analysis, "analysis");
    }

    /** The provenance as a JSON object, with the selection's strategy and budget. */
    String toJson(PoolMiner.Strategy strategy, int budget) {
      return "{\"strategy\": " + q(strategy.name().toLowerCase(Locale.ROOT)) + ", \"budget\": "
          + budget + ", \"pool\": " + q(pool) + ", \"pool_size\": " + poolSize
          + ", \"pool_fingerprint\": " + q(poolFingerprint.sha256()) + ", \"model\": "
          + (model == null ? "null" : q(model)) + ", \"analysis_fingerprint\": "
          + q(analysis.sha256()) + ", \"embedding_dim\": " + embeddingDim + ", \"seed\": "
          + seed + "}";
    }
  }

  /** Copies the lists. */
  public Selection {
    Objects.requireNonNull(strategy, "strategy");
    items = List.copyOf(items);
    allocation = List.copyOf(allocation);
    notes = List.copyOf(notes);
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The chosen ids, rank order. */
  public List<String> ids() {
    return items.stream().map(Item::id).toList();
  }

  /** The number of chosen items per scenario kind. */
  public Map<String, Long> countsByKind() {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    for (Item i : items) {
      m.merge(i.kind(), 1L, Long::sum);
    }
    return m;
  }

  /** The allocation as a table. */
  public String summary() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "selection: %d of %d pool items by %s (%s)%n  pool %s %s, analysis %s%n", items.size(),
        provenance.poolSize(), strategy.name().toLowerCase(Locale.ROOT), strategy.description(),
        provenance.pool(), provenance.poolFingerprint(), provenance.analysis()));
    b.append(String.format(Locale.ROOT, "  %-10s %-60s %7s %6s %10s %6s%n", "kind", "scenario",
        "weight", "quota", "candidates", "picked"));
    for (Allocation a : allocation) {
      b.append(String.format(Locale.ROOT, "  %-10s %-60s %7.1f %6d %10d %6d%n", a.kind(),
          abbreviate(a.scenario(), 60), a.weight(), a.quota(), a.candidates(), a.picked()));
    }
    for (String n : notes) {
      b.append("  note: ").append(n).append('\n');
    }
    return b.toString();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(summary());
    for (Item i : items.subList(0, Math.min(10, items.size()))) {
      b.append(String.format(Locale.ROOT, "  #%d %s → %s: %s%n", i.rank(), i.id(), i.kind(),
          i.reason()));
    }
    if (items.size() > 10) {
      b.append("  … ").append(items.size() - 10).append(" more\n");
    }
    return b.toString();
  }

  private static String abbreviate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  // ---------------------------------------------------------------- export

  /** Writes the items as CSV: rank, id, scenario, kind, reason, predicted, confidence, margin, entropy. */
  public void writeCsv(Path file) {
    StringBuilder b = new StringBuilder(
        "rank,id,scenario,kind,reason,predicted,confidence,margin,entropy\n");
    for (Item i : items) {
      b.append(i.rank()).append(',').append(csv(i.id())).append(',').append(csv(i.scenario()))
          .append(',').append(csv(i.kind())).append(',').append(csv(i.reason())).append(',')
          .append(csv(i.predicted())).append(',').append(num(i.confidence())).append(',')
          .append(num(i.margin())).append(',').append(num(i.entropy())).append('\n');
    }
    write(file, "selection CSV", b.toString());
  }

  /**
   * Writes JSON Lines: a header line {@code {"selection": {...}}} with the strategy, budget and
   * {@link Provenance} (pool name, size and fingerprint, model, analysis fingerprint, embedding
   * dimension, seed), then one object per item with the fields of {@link Item}. (The CSV has no
   * place for a header a CSV reader would skip; use this file or the Label Studio tasks to keep
   * the provenance.)
   */
  public void writeJsonl(Path file) {
    StringBuilder b = new StringBuilder("{\"selection\": ")
        .append(provenance.toJson(strategy, budget)).append("}\n");
    for (Item i : items) {
      b.append(itemJson(i)).append('\n');
    }
    write(file, "selection JSONL", b.toString());
  }

  /**
   * Writes a Label Studio task import file: a JSON array with one task per item, {@code data}
   * holding {@code dataKey → valueById(id)} (the URL or text the labelling config shows as {@code
   * $dataKey}) and the item's id, scenario, reason and rank, {@code meta} holding the {@link
   * Provenance} (pool fingerprint, model, analysis fingerprint, strategy, seed; Label Studio keeps
   * a task's {@code meta} without showing it), and a {@code predictions} entry pre-selecting the
   * model's class in a {@code Choices} control (score = its probability).
   *
   * @param dataKey the data key of the labelling config's object tag, e.g. {@code image} or
   *     {@code text}
   * @param valueById the image URL or the text of an item
   * @param choicesName the {@code name} of the config's {@code Choices} tag
   * @param modelVersion shown as the prediction's model version
   */
  public void writeLabelStudio(Path file, String dataKey, Function<String, String> valueById,
      String choicesName, String modelVersion) {
    Objects.requireNonNull(dataKey, "dataKey");
    Objects.requireNonNull(valueById, "valueById");
    StringBuilder b = new StringBuilder("[\n");
    String meta = provenance.toJson(strategy, budget);
    for (int k = 0; k < items.size(); k++) {
      Item i = items.get(k);
      String value = Objects.requireNonNull(valueById.apply(i.id()),
          () -> "valueById returned null for " + i.id());
      b.append("  {\"data\": {").append(q(dataKey)).append(": ").append(q(value))
          .append(", \"groundwork_id\": ").append(q(i.id()))
          .append(", \"scenario\": ").append(q(i.scenario()))
          .append(", \"reason\": ").append(q(i.reason()))
          .append(", \"rank\": ").append(i.rank()).append("}, \"meta\": ").append(meta)
          .append(", \"predictions\": [{")
          .append("\"model_version\": ").append(q(modelVersion))
          .append(", \"score\": ").append(num(i.confidence()))
          .append(", \"result\": [{\"from_name\": ").append(q(choicesName))
          .append(", \"to_name\": ").append(q(dataKey))
          .append(", \"type\": \"choices\", \"value\": {\"choices\": [")
          .append(q(i.predicted())).append("]}}]}]}").append(k + 1 < items.size() ? ",\n" : "\n");
    }
    write(file, "Label Studio tasks", b.append("]\n").toString());
  }

  static String itemJson(Item i) {
    return "{\"rank\": " + i.rank() + ", \"id\": " + q(i.id()) + ", \"pool_index\": "
        + i.poolIndex() + ", \"scenario\": " + q(i.scenario()) + ", \"kind\": " + q(i.kind())
        + ", \"reason\": " + q(i.reason()) + ", \"predicted\": " + q(i.predicted())
        + ", \"confidence\": " + num(i.confidence()) + ", \"margin\": " + num(i.margin())
        + ", \"entropy\": " + num(i.entropy()) + "}";
  }

  private static void write(Path file, String what, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, what, out -> out.write(bytes));
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
        .replaceFirst("\\.(e|$)", "$1");
  }

  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  static String q(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
