package dev.groundwork.core.collect;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.DatasetSpec;
import dev.groundwork.core.data.Fingerprint;
import dev.groundwork.core.data.Input;
import dev.groundwork.core.data.InputKind;
import dev.groundwork.core.data.RecordSource;
import dev.groundwork.core.data.TensorInput;
import dev.groundwork.core.data.TextInput;
import dev.groundwork.core.model.Model;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Examples without labels, waiting to be labelled: ids, inputs and metadata, and no label at all.
 *
 * <p>A pool has no {@code label(i)}: nothing in its API can read one, so a mining strategy cannot
 * peek. Its {@link #spec()} gives the input kind and shape and the classes an annotator will choose
 * from. Build one from items ({@link #of}), or, to simulate collection on labelled data, from a
 * dataset whose labels the pool hides ({@link #hidingLabels}); the experiment reads the labels of
 * the chosen ids from its own copy of the dataset, as an annotator would supply them.
 *
 * <pre>{@code
 * UnlabeledPool pool = UnlabeledPool.of("camera-backlog", spec, items);
 * PoolPredictions p = pool.predict(model, 256);
 * }</pre>
 */
public final class UnlabeledPool {

  /** Metadata keys that carry a label; a pool item with one is rejected. */
  public static final Set<String> LABEL_KEYS = Set.of("label", "class", "target", "y",
      "ground_truth", "annotation");

  /** One unlabelled item: an id, an input and metadata (no label). */
  public record Item(String id, Input input, Map<String, String> metadata) {
    /** Checks the fields and copies the metadata. */
    public Item {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(input, "input");
      metadata = Map.copyOf(metadata);
    }
  }

  private final String name;
  /** Inputs, ids and metadata; its labels are never read (see {@link #hidingLabels}). */
  private final Dataset backing;
  private volatile Fingerprint fingerprint;

  private UnlabeledPool(String name, Dataset backing) {
    this.name = name;
    this.backing = backing;
  }

  /**
   * A pool of these items.
   *
   * @throws LabeledPoolException if an item's metadata has a label-like key ({@link #LABEL_KEYS})
   * @throws InvalidParameterException if ids repeat, the list is empty or an input does not fit
   *     the spec
   */
  public static UnlabeledPool of(String name, DatasetSpec spec, List<Item> items) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    List<Item> copy = List.copyOf(items);
    InvalidParameterException.check(!copy.isEmpty(), "pool %s has no items; give at least one",
        name);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < copy.size(); i++) {
      Item it = copy.get(i);
      for (String k : it.metadata().keySet()) {
        if (LABEL_KEYS.contains(k.toLowerCase(Locale.ROOT))) {
          throw new LabeledPoolException(String.format(Locale.ROOT,
              "pool %s: item %d (id %s) carries a label in its metadata key '%s'; a pool holds "
                  + "unlabelled items only: drop the key, or put labelled items in a Dataset",
              name, i, it.id(), k), name, i);
        }
      }
      InvalidParameterException.check(seen.add(it.id()),
          "pool %s: item %d has the id '%s' already used by an earlier item; ids must be unique",
          name, i, it.id());
      checkInput(name, spec, i, it);
    }
    RecordSource source = new ItemSource(name, copy);
    return new UnlabeledPool(name, Dataset.of(name, spec, source));
  }

  private static void checkInput(String name, DatasetSpec spec, int i, Item it) {
    if (spec.inputKind() == InputKind.TEXT) {
      InvalidParameterException.check(it.input() instanceof TextInput,
          "pool %s: item %d (id %s) is %s, but the spec expects text", name, i, it.id(),
          it.input());
    } else {
      InvalidParameterException.check(it.input() instanceof TensorInput t
          && spec.matchesShape(t.shape()),
          "pool %s: item %d (id %s) is %s, but the spec expects a tensor of shape %s", name, i,
          it.id(), it.input(), Arrays.toString(spec.inputShape()));
    }
  }

  /**
   * The examples of {@code data} as a pool whose labels are hidden: the pool's API cannot read
   * them. For simulating collection on labelled data; the caller keeps {@code data} to play the
   * annotator.
   */
  public static UnlabeledPool hidingLabels(Dataset data) {
    Objects.requireNonNull(data, "data");
    data.requireNonEmpty("an unlabelled pool");
    return new UnlabeledPool(data.name() + " (labels hidden)", data);
  }

  /** The pool's name. */
  public String name() {
    return name;
  }

  /** Input kind and shape, and the classes an annotator chooses from. */
  public DatasetSpec spec() {
    return backing.spec();
  }

  /** The number of items. */
  public int size() {
    return backing.size();
  }

  /** The id of item {@code i}. */
  public String id(int i) {
    return backing.id(i);
  }

  /** All ids, in order. */
  public List<String> ids() {
    return backing.ids();
  }

  /** Decodes the input of item {@code i}. */
  public Input input(int i) {
    return backing.input(i);
  }

  /** The metadata of item {@code i}. */
  public Map<String, String> metadata(int i) {
    return backing.metadata(i);
  }

  /** The position of the item with this id, or -1. */
  public int indexOf(String id) {
    return backing.indexOf(id).orElse(-1);
  }

  /**
   * The pool without these items (e.g. after they were sent for labelling).
   *
   * @throws InvalidParameterException if an id is not in the pool
   */
  public UnlabeledPool without(Collection<String> ids) {
    Set<String> drop = new HashSet<>(ids);
    for (String id : drop) {
      InvalidParameterException.check(indexOf(id) >= 0, "id '%s' is not in pool %s", id, name);
    }
    int[] keep = IntStream.range(0, size()).filter(i -> !drop.contains(id(i))).toArray();
    return new UnlabeledPool(name, backing.subset(keep));
  }

  /**
   * The model's class probabilities for every item, in pool order.
   *
   * @throws InputSpecMismatchException if the model's input kind, shape or classes differ from
   *     the pool's
   */
  public PoolPredictions predict(Model model, int batchSize) {
    requireFits(model);
    InvalidParameterException.check(batchSize >= 1, "batchSize must be ≥ 1, got %d", batchSize);
    float[] probs = model.predict(backing, batchSize).values();
    return PoolPredictions.of(this, probs, model.name());
  }

  /**
   * Checks that {@code model} takes this pool's inputs and predicts its classes.
   *
   * @throws InputSpecMismatchException if not
   */
  public void requireFits(Model model) {
    DatasetSpec m = model.spec();
    DatasetSpec p = spec();
    if (m.inputKind() != p.inputKind() || !Arrays.equals(m.inputShape(), p.inputShape())) {
      throw new InputSpecMismatchException(String.format(Locale.ROOT,
          "pool %s has %s inputs of shape %s but model %s takes %s inputs of shape %s; "
              + "transform the pool's inputs the way the model's training data was", name,
          p.inputKind(), Arrays.toString(p.inputShape()), model.name(), m.inputKind(),
          Arrays.toString(m.inputShape())));
    }
    if (!m.classes().equals(p.classes())) {
      throw new InputSpecMismatchException(String.format(Locale.ROOT,
          "pool %s is to be labelled with the classes %s but model %s predicts %s; build the "
              + "pool with the model's classes", name, p.classes(), model.name(), m.classes()));
    }
  }

  /** SHA-256 over the ids and inputs, in order (no labels: a pool has none); computed once. */
  public Fingerprint fingerprint() {
    Fingerprint f = fingerprint;
    if (f == null) {
      Hasher h = Hashing.sha256().newHasher();
      for (int i = 0; i < size(); i++) {
        h.putString(id(i), StandardCharsets.UTF_8).putByte((byte) 0);
        Input in = input(i);
        if (in instanceof TensorInput t) {
          for (float v : t.values()) {
            h.putFloat(v);
          }
        } else {
          h.putString(((TextInput) in).text(), StandardCharsets.UTF_8);
        }
      }
      f = new Fingerprint(h.hash().toString(), size());
      fingerprint = f;
    }
    return f;
  }

  @Override
  public String toString() {
    return "unlabelled pool " + name + ": " + size() + " items, " + spec();
  }

  /**
   * Items as a record source for batching only. A record source must answer {@code label(i)};
   * this one answers 0 for every item, and the pool never reads it (it has no label accessor).
   */
  private record ItemSource(String name, List<Item> items) implements RecordSource {
    @Override
    public int size() {
      return items.size();
    }

    @Override
    public String id(int index) {
      return items.get(index).id();
    }

    @Override
    public int label(int index) {
      return 0;
    }

    @Override
    public Input decode(int index) {
      return items.get(index).input();
    }

    @Override
    public Map<String, String> metadata(int index) {
      return items.get(index).metadata();
    }

    @Override
    public String describe() {
      return "pool " + name;
    }
  }
}
