package dev.groundwork.examples;

import dev.groundwork.core.analysis.detection.AreaRange;
import dev.groundwork.core.analysis.detection.CocoEvaluator;
import dev.groundwork.core.analysis.detection.CocoJson;
import dev.groundwork.core.analysis.detection.CocoParams;
import dev.groundwork.core.analysis.detection.CocoResult;
import dev.groundwork.core.analysis.detection.DetectedBox;
import dev.groundwork.core.analysis.detection.GroundTruthBox;
import dev.groundwork.core.analysis.detection.KeypointErrorAnalyzer;
import dev.groundwork.core.analysis.detection.KeypointErrorResult;
import dev.groundwork.core.analysis.detection.KeypointErrorType;
import dev.groundwork.core.analysis.detection.KeypointEvaluator;
import dev.groundwork.core.analysis.detection.KeypointInstance;
import dev.groundwork.core.analysis.detection.KeypointSchema;
import dev.groundwork.core.analysis.detection.TideAnalyzer;
import dev.groundwork.core.analysis.detection.TideErrorType;
import dev.groundwork.core.analysis.detection.TideResult;
import dev.groundwork.core.analysis.detection.TideSpecialError;
import dev.groundwork.core.GroundworkException;
import dev.groundwork.examples.results.DocFigures;
import dev.groundwork.examples.results.Results;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures docs/detection.md quotes, from a run: the detection analyses on the cross-check
 * fixtures committed in core's test resources ({@code xcheck-*.json}, {@code kerr-*.json}), with
 * our values written beside the reference tools' values (pycocotools 2.0.11, TIDE at 49a5d2a,
 * coco-analyze at 9eb8a0a) and the largest difference, into {@code docs/results/detection.json}.
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.DetectionReference
 * </pre>
 *
 * <p>The reference values are the ones the reference scripts printed ({@code xcheck-generate.py},
 * {@code tide-reference.py}, {@code kerr-reference.py}, in the same test resources), as the tests
 * that check them hold them ({@code PycocotoolsCrossCheckTest}, {@code TideReferenceTest},
 * {@code KeypointErrorReferenceTest}): those Python tools are not installed here, so they are not
 * rerun, only compared with.
 */
public final class DetectionReference {

  /** pycocotools' {@code COCOeval.stats} for bbox on xcheck-gt/xcheck-dt. */
  static final double[] PYCOCOTOOLS_BOX = {0.11669600072002462, 0.26846261650355485,
      0.07843117034656509, 0.12251908890522752, 0.09060070678588289, 0.17001536325584174,
      0.15058786242996766, 0.3082433648223121, 0.3082433648223121, 0.2629629629629629,
      0.2836111111111111, 0.3632212885154061};

  /** pycocotools' per-class AP (cat, dog, cow) on the same fixture. */
  static final double[] PYCOCOTOOLS_PER_CLASS = {0.13145999374110054, 0.15379065548784265,
      0.06483735293113065};

  /** pycocotools' {@code COCOeval.stats} for keypoints on xcheck-kgt/xcheck-kdt. */
  static final double[] PYCOCOTOOLS_KEYPOINTS = {0.7169218030043105, 0.7620990066792576,
      0.7231861586435422, 0.6609756871364065, 0.906034078133088, 0.9438596491228071,
      0.9649122807017544, 0.9473684210526315, 0.953125, 0.9434782608695652};

  /** TIDE: AP@.5, Cls, Loc, Both, Dupl, Bkg, Miss dAP, FalsePos, FalseNeg (no crowd, ties broken). */
  static final double[] TIDE = {0.25767762302618136, 0.0886617159149521, 0.1570759672171993,
      0.01485439354452648, 0.004864035707520706, 0.08137313294939645, 0.07213875713330303,
      0.2967778225183731, 0.20081967629453829};

  /** TIDE's counts: Cls, Loc, Both, Dupl, Bkg, Miss. */
  static final int[] TIDE_COUNTS = {11, 34, 12, 7, 53, 28};

  /** coco-analyze (fix distance patched): OKS AP before, after miss, swap, inversion, jitter. */
  static final double[] COCO_ANALYZE_AP = {0.5985717646582971, 0.6127239874048076,
      0.6191346570748391, 0.7154740128078345, 0.7175753527746389};

  /** coco-analyze's counts: good, jitter, inversion, swap, miss. */
  static final int[] COCO_ANALYZE_COUNTS = {870, 24, 70, 4, 10};

  /** coco-analyze's counts per keypoint (rows good … miss, columns the 17 COCO keypoints). */
  static final int[][] COCO_ANALYZE_PER_KEYPOINT = {
      {55, 48, 59, 56, 57, 50, 47, 57, 53, 52, 50, 53, 44, 48, 47, 49, 45},
      {1, 5, 0, 1, 2, 3, 1, 1, 3, 1, 1, 1, 0, 1, 0, 2, 1},
      {0, 1, 2, 2, 2, 3, 3, 2, 2, 7, 7, 4, 8, 7, 10, 4, 6},
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 1},
      {1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 4, 0, 0, 1, 1}};

  private static final String FIXTURES = "core/src/test/resources/dev/groundwork/core/analysis/"
      + "detection/";

  private DetectionReference() {}

  /** Runs the analyses and writes {@code detection.json}; the first argument is the root. */
  public static void main(String[] args) {
    Path root = args.length > 0 ? Path.of(args[0]) : DocFigures.repositoryRoot(Path.of(""));
    Path dir = root.resolve(FIXTURES);
    Results r = Results.start("detection", args).version("pycocotools", "2.0.11 (reference)")
        .version("tide", "49a5d2a (reference)").version("coco-analyze", "9eb8a0a (reference)");

    // boxes: pycocotools' summary numbers and per-class AP
    CocoJson.GroundTruth gt = CocoJson.parseGroundTruth(read(dir, "xcheck-gt.json"), "xcheck-gt");
    List<DetectedBox> dt = CocoJson.parseDetections(read(dir, "xcheck-dt.json"), "xcheck-dt", gt);
    CocoResult box = CocoEvaluator.forBoxes(gt.classes()).evaluate(gt.boxes(), dt);
    double[] ours = {box.ap(), box.ap50(), box.ap75(), box.apSmall(), box.apMedium(),
        box.apLarge(), box.ar(1), box.ar(10), box.ar(100), box.arSmall(), box.arMedium(),
        box.arLarge()};
    double boxDiff = maxDiff(ours, PYCOCOTOOLS_BOX);
    double[] perClass = {box.perClassAp().get("cat"), box.perClassAp().get("dog"),
        box.perClassAp().get("cow")};
    boxDiff = Math.max(boxDiff, maxDiff(perClass, PYCOCOTOOLS_PER_CLASS));
    r.put("box_ap", box.ap(), "").put("box_ap_pycocotools", PYCOCOTOOLS_BOX[0], "")
        .put("box_ap50", box.ap50(), "").put("box_ap50_pycocotools", PYCOCOTOOLS_BOX[1], "");

    // keypoints: pycocotools' summary numbers
    CocoJson.GroundTruth kgt = CocoJson.parseGroundTruth(read(dir, "xcheck-kgt.json"), "xcheck-kgt");
    List<KeypointInstance> kdt =
        CocoJson.parseKeypointPredictions(read(dir, "xcheck-kdt.json"), "xcheck-kdt", kgt);
    KeypointSchema thing = new KeypointSchema("thing", kgt.keypointNames().get("thing"),
        List.of(.5, .3, .3, .8, .8), List.of());
    CocoResult kp = KeypointEvaluator.of(thing).evaluate(kgt.keypoints(), kdt).coco();
    double[] kpOurs = new double[PYCOCOTOOLS_KEYPOINTS.length];
    for (int i = 0; i < kpOurs.length; i++) {
      kpOurs[i] = kp.metrics().get(i).value();
    }
    double kpDiff = maxDiff(kpOurs, PYCOCOTOOLS_KEYPOINTS);
    r.put("pycocotools_summary_values", PYCOCOTOOLS_BOX.length + PYCOCOTOOLS_KEYPOINTS.length, "")
        .put("pycocotools_max_abs_diff", Math.max(boxDiff, kpDiff), "");

    // TIDE on the box fixture as docs/detection.md shows it (crowd regions included)
    TideResult tide = TideAnalyzer.of(gt.classes()).analyze(gt.boxes(), dt);
    r.note("tide_xcheck", withoutProvenance(tide.toString()));
    // and as TIDE itself was run: no crowd regions, tied scores broken by input order
    List<DetectedBox> ordered = new ArrayList<>();
    for (int i = 0; i < dt.size(); i++) {
      DetectedBox d = dt.get(i);
      ordered.add(new DetectedBox(d.imageId(), d.className(), d.box(), d.score() + i * 1e-7));
    }
    List<GroundTruthBox> noCrowd = gt.boxes().stream().filter(b -> !b.crowd()).toList();
    TideResult t = TideAnalyzer.of(gt.classes()).analyze(noCrowd, ordered);
    TideErrorType[] kinds = {TideErrorType.CLASSIFICATION, TideErrorType.LOCALIZATION,
        TideErrorType.BOTH, TideErrorType.DUPLICATE, TideErrorType.BACKGROUND,
        TideErrorType.MISSED};
    double[] tideOurs = new double[TIDE.length];
    tideOurs[0] = t.ap();
    int countsEqual = 0;
    for (int i = 0; i < kinds.length; i++) {
      tideOurs[i + 1] = t.deltaAp(kinds[i]);
      countsEqual += t.count(kinds[i]) == TIDE_COUNTS[i] ? 1 : 0;
    }
    tideOurs[7] = t.deltaAp(TideSpecialError.FALSE_POSITIVE);
    tideOurs[8] = t.deltaAp(TideSpecialError.FALSE_NEGATIVE);
    r.put("tide_values", TIDE.length, "").put("tide_max_abs_diff", maxDiff(tideOurs, TIDE), "")
        .put("tide_counts_equal", countsEqual, "").put("tide_counts", TIDE_COUNTS.length, "");

    // keypoint errors on the coco-analyze fixture, with the defaults (docs/detection.md's block)
    CocoJson.GroundTruth egt = CocoJson.parseGroundTruth(read(dir, "kerr-gt.json"), "kerr-gt");
    List<KeypointInstance> edt =
        CocoJson.parseKeypointPredictions(read(dir, "kerr-dt.json"), "kerr-dt", egt);
    KeypointSchema person = egt.schema("person").orElseThrow();
    KeypointErrorResult defaults = KeypointErrorAnalyzer.of(person).analyze(egt.keypoints(), edt);
    r.note("keypoint_errors_kerr", withoutProvenance(defaults.toString()));
    // as coco-analyze ran: plain matching, its area range "all" = [32², 1e10]
    KeypointErrorResult ref = kerr(person, egt, edt, false, KeypointErrorAnalyzer.DEFAULT_MATCH_OKS);
    KeypointErrorType[] types = {KeypointErrorType.GOOD, KeypointErrorType.JITTER,
        KeypointErrorType.INVERSION, KeypointErrorType.SWAP, KeypointErrorType.MISS};
    int equal = 0;
    int perKeypointEqual = 0;
    for (int i = 0; i < types.length; i++) {
      equal += ref.count(types[i]) == COCO_ANALYZE_COUNTS[i] ? 1 : 0;
      for (int j = 0; j < 17; j++) {
        perKeypointEqual += ref.joints().get(j).count(types[i]) == COCO_ANALYZE_PER_KEYPOINT[i][j]
            ? 1 : 0;
      }
    }
    double[] apOurs = {ref.baseline().ap(), ref.cumulativeAp(KeypointErrorType.MISS),
        ref.cumulativeAp(KeypointErrorType.SWAP), ref.cumulativeAp(KeypointErrorType.INVERSION),
        ref.cumulativeAp(KeypointErrorType.JITTER)};
    r.put("coco_analyze_counts_equal", equal, "").put("coco_analyze_counts", types.length, "")
        .put("coco_analyze_per_keypoint_counts_equal", perKeypointEqual, "")
        .put("coco_analyze_per_keypoint_counts", types.length * 17, "")
        .put("coco_analyze_ap_max_abs_diff", maxDiff(apOurs, COCO_ANALYZE_AP), "");
    // at OKS 0.5: plain matching against swap-aware matching
    for (boolean aware : new boolean[] {false, true}) {
      KeypointErrorResult e = kerr(person, egt, edt, aware, 0.5);
      String p = aware ? "oks50_swap_aware_" : "oks50_plain_";
      r.put(p + "matched", e.instances().size(), "")
          .put(p + "unmatched_predictions", e.unmatchedPredictions().size(), "")
          .put(p + "unmatched_ground_truth", e.unmatchedGroundTruth().size(), "")
          .put(p + "inversions", e.count(KeypointErrorType.INVERSION), "");
    }
    System.out.println(r.toJson());
    r.write();
  }

  private static KeypointErrorResult kerr(KeypointSchema schema, CocoJson.GroundTruth gt,
      List<KeypointInstance> dt, boolean swapAware, double matchOks) {
    return KeypointErrorAnalyzer.of(schema).withSwapAwareMatching(swapAware)
        .withMatchThreshold(matchOks)
        .withParams(CocoParams.keypoints().withAreaRanges(
            List.of(new AreaRange("all", 32 * 32, 1e10))))
        .analyze(gt.keypoints(), dt);
  }

  /** A result's printout without its closing provenance paragraph (the page states it). */
  static String withoutProvenance(String printed) {
    int p = printed.indexOf("\n\nprovenance:");
    return (p < 0 ? printed : printed.substring(0, p)).strip();
  }

  private static double maxDiff(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  private static String read(Path dir, String name) {
    Path file = dir.resolve(name);
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new GroundworkException(String.format(Locale.ROOT, "cannot read the cross-check "
          + "fixture %s (%s); run from the repository root or pass it as the first argument",
          file, e.getMessage()), e);
    }
  }
}
