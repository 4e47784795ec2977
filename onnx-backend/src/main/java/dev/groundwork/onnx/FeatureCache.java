package dev.groundwork.onnx;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A frozen backbone's features, computed once per example and kept by example id (with a hash of
 * the example's content, so a changed example is computed again). Shared by a {@link
 * FrozenBackboneClassifier} and every {@link FrozenBackboneClassifier#newInstance new instance}.
 */
public final class FeatureCache {

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong computed = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong backboneCalls = new AtomicLong();

  private record Entry(int contentHash, float[] features) {}

  FeatureCache() {}

  float[] get(String id, int contentHash) {
    Entry e = entries.get(id);
    if (e != null && e.contentHash == contentHash) {
      hits.incrementAndGet();
      return e.features;
    }
    return null;
  }

  void put(String id, int contentHash, float[] features) {
    entries.put(id, new Entry(contentHash, features));
    computed.incrementAndGet();
  }

  void countCall() {
    backboneCalls.incrementAndGet();
  }

  /** The number of examples whose features are cached. */
  public int size() {
    return entries.size();
  }

  /** How many feature vectors the backbone has computed. */
  public long computed() {
    return computed.get();
  }

  /** How many lookups found their features already cached. */
  public long hits() {
    return hits.get();
  }

  /** How many times the backbone has run. */
  public long backboneCalls() {
    return backboneCalls.get();
  }

  /** Forgets every cached feature (counts are kept). */
  public void clear() {
    entries.clear();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "FeatureCache[%,d examples; %,d computed in %,d backbone runs, "
        + "%,d hits]", size(), computed(), backboneCalls(), hits());
  }
}
