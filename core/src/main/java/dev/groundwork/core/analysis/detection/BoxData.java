package dev.groundwork.core.analysis.detection;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Box ground truth and detections checked and flattened for {@link CocoEngine}. */
final class BoxData {
  final List<GroundTruthBox> gts;
  final List<DetectedBox> dts;
  final CocoEngine.Instances instances = new CocoEngine.Instances();
  final List<String> imageIds;

  BoxData(List<String> classes, Collection<GroundTruthBox> groundTruth,
      Collection<DetectedBox> detections) {
    this.gts = List.copyOf(groundTruth);
    this.dts = List.copyOf(detections);
    Map<String, Integer> ci = Inputs.classIndex(classes);
    Inputs.Images images = new Inputs.Images();
    CocoEngine.Instances in = instances;
    int ng = gts.size();
    in.gtImage = new int[ng];
    in.gtClass = new int[ng];
    in.gtArea = new double[ng];
    in.gtIgnore = new boolean[ng];
    in.gtCrowd = new boolean[ng];
    for (int g = 0; g < ng; g++) {
      GroundTruthBox b = gts.get(g);
      in.gtClass[g] = Inputs.classOf(ci, classes, b.className(), "ground truth", g, b.imageId());
      in.gtImage[g] = images.of(b.imageId());
      in.gtArea[g] = b.effectiveArea();
      in.gtIgnore[g] = b.crowd();
      in.gtCrowd[g] = b.crowd();
    }
    int nd = dts.size();
    in.dtImage = new int[nd];
    in.dtClass = new int[nd];
    in.dtScore = new double[nd];
    in.dtArea = new double[nd];
    for (int d = 0; d < nd; d++) {
      DetectedBox b = dts.get(d);
      in.dtClass[d] = Inputs.classOf(ci, classes, b.className(), "detection", d, b.imageId());
      in.dtImage[d] = images.of(b.imageId());
      in.dtScore[d] = b.score();
      in.dtArea[d] = b.box().area();
    }
    in.numImages = images.size();
    in.numClasses = classes.size();
    imageIds = images.ids();
  }

  /** IoU, or for a crowd ground truth the overlap over the detection's area (COCO). */
  double similarity(int d, int g) {
    Box db = dts.get(d).box();
    GroundTruthBox gt = gts.get(g);
    return gt.crowd() ? db.crowdOverlap(gt.box()) : db.iou(gt.box());
  }

  int crowdCount() {
    int n = 0;
    for (GroundTruthBox g : gts) {
      if (g.crowd()) {
        n++;
      }
    }
    return n;
  }
}
