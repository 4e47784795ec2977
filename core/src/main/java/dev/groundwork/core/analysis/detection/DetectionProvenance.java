package dev.groundwork.core.analysis.detection;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.groundwork.core.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** Builds the {@link Provenance} of a detection or keypoint evaluation: config and input digest. */
final class DetectionProvenance {

  /** What stands for the backend: these evaluations need no model. */
  static final String SOURCE = "model-agnostic evaluation (groundwork-core)";

  private DetectionProvenance() {}

  static Provenance boxes(Map<String, String> config, Collection<GroundTruthBox> gts,
      Collection<DetectedBox> dts) {
    Hasher h = Hashing.sha256().newHasher();
    h.putInt(gts.size());
    for (GroundTruthBox g : gts) {
      h.putString(g.imageId(), StandardCharsets.UTF_8).putString(g.className(),
          StandardCharsets.UTF_8);
      box(h, g.box());
      h.putBoolean(g.crowd()).putDouble(g.area().orElse(-1));
    }
    h.putInt(dts.size());
    for (DetectedBox d : dts) {
      h.putString(d.imageId(), StandardCharsets.UTF_8).putString(d.className(),
          StandardCharsets.UTF_8);
      box(h, d.box());
      h.putDouble(d.score());
    }
    return Provenance.of(0, config, SOURCE, h.hash().toString());
  }

  static Provenance keypoints(Map<String, String> config, Collection<KeypointInstance> gts,
      Collection<KeypointInstance> dts) {
    Hasher h = Hashing.sha256().newHasher();
    for (Collection<KeypointInstance> part : java.util.List.of(gts, dts)) {
      h.putInt(part.size());
      for (KeypointInstance k : part) {
        h.putString(k.imageId(), StandardCharsets.UTF_8).putString(k.className(),
            StandardCharsets.UTF_8);
        for (float v : k.x()) {
          h.putFloat(v);
        }
        for (float v : k.y()) {
          h.putFloat(v);
        }
        for (float v : k.visibility()) {
          h.putFloat(v);
        }
        h.putDouble(k.score().orElse(-1)).putDouble(k.area().orElse(-1)).putBoolean(k.crowd());
        k.box().ifPresent(b -> box(h, b));
      }
    }
    return Provenance.of(0, config, SOURCE, h.hash().toString());
  }

  private static void box(Hasher h, Box b) {
    h.putDouble(b.x1()).putDouble(b.y1()).putDouble(b.x2()).putDouble(b.y2());
  }
}
