package dev.groundwork.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A frozen backbone's features, computed once per distinct input and kept under the SHA-256 of the
 * input's content (the text, or the tensor's shape and values) — not under the example id.
 *
 * <p>Shared by a {@link FrozenBackboneClassifier} and every {@link
 * FrozenBackboneClassifier#newInstance new instance}, so features precomputed once serve every head
 * made from the model (the LR finder's and the overfit check's copies included). Because the key is
 * the content, a copy that sees other inputs under the same ids (the overfit check's zero-input
 * baseline) adds entries and never replaces the ones the original reads; entries are never changed
 * once written. Examples with the same content share one entry. With the embedder's default {@link
 * OnnxOptions.Batching#PER_EXAMPLE} a feature vector depends on its input alone, so the content is
 * the whole key; with {@link OnnxOptions.Batching#WHOLE_BATCH} the first batch an input was
 * computed in decides its vector.
 *
 * <p>Memory: one entry per distinct input, about {@code 4 × dimension + 100} bytes (the vector, a
 * 32-byte key and the map's node) — 1.6 KB for MiniLM's 384 features, so 1.6 MB per 1,000 texts;
 * nothing is evicted until {@link #clear()}, which empties the cache for every model sharing it.
 */
public final class FeatureCache {

  private final Map<Key, float[]> entries = new ConcurrentHashMap<>();
  private final AtomicLong computed = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong backboneCalls = new AtomicLong();

  /** The SHA-256 of an input's content, as four longs. */
  record Key(long a, long b, long c, long d) {

    static Key of(byte[] sha256) {
      ByteBuffer bb = ByteBuffer.wrap(sha256);
      return new Key(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
    }

    /** The key of a text. */
    static Key text(String text) {
      MessageDigest md = sha256();
      md.update((byte) 'T');
      md.update(text.getBytes(StandardCharsets.UTF_8));
      return of(md.digest());
    }

    /** The key of one example's tensor: its shape and the bits of its values. */
    static Key tensor(int[] exampleShape, float[] values, int from, int length) {
      MessageDigest md = sha256();
      ByteBuffer head = ByteBuffer.allocate(8 + 4 * exampleShape.length)
          .order(ByteOrder.LITTLE_ENDIAN);
      head.putInt('F').putInt(exampleShape.length);
      for (int d : exampleShape) {
        head.putInt(d);
      }
      md.update(head.array());
      ByteBuffer chunk = ByteBuffer.allocate(4 * Math.min(length, 4096))
          .order(ByteOrder.LITTLE_ENDIAN);
      for (int i = from; i < from + length; ) {
        chunk.clear();
        while (chunk.hasRemaining() && i < from + length) {
          chunk.putInt(Float.floatToRawIntBits(values[i++]));
        }
        md.update(chunk.array(), 0, chunk.position());
      }
      return of(md.digest());
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }
  }

  FeatureCache() {}

  float[] get(Key key) {
    float[] f = entries.get(key);
    if (f != null) {
      hits.incrementAndGet();
    }
    return f;
  }

  /** Keeps the first vector stored under a key; later ones (a concurrent computation) are dropped. */
  void put(Key key, float[] features) {
    entries.putIfAbsent(key, features);
    computed.incrementAndGet();
  }

  void countCall() {
    backboneCalls.incrementAndGet();
  }

  /** The number of distinct inputs whose features are cached. */
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

  /** How many times the backbone was given a batch of uncached inputs. */
  public long backboneCalls() {
    return backboneCalls.get();
  }

  /** Forgets every cached feature, for every model sharing the cache (counts are kept). */
  public void clear() {
    entries.clear();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "FeatureCache[%,d inputs; %,d computed in %,d backbone runs, "
        + "%,d hits]", size(), computed(), backboneCalls(), hits());
  }
}
