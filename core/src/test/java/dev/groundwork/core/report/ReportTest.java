package dev.groundwork.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.Provenance;
import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.analysis.detection.CocoEvaluator;
import dev.groundwork.core.analysis.detection.CocoResult;
import dev.groundwork.core.analysis.detection.DetectedBox;
import dev.groundwork.core.analysis.detection.GroundTruthBox;
import dev.groundwork.core.analysis.detection.TideAnalyzer;
import dev.groundwork.core.analysis.detection.TideErrorType;
import dev.groundwork.core.analysis.detection.TideResult;
import dev.groundwork.core.baseline.SoftmaxRegression;
import dev.groundwork.core.compare.Candidate;
import dev.groundwork.core.compare.CandidateResult;
import dev.groundwork.core.compare.ProfileSettings;
import dev.groundwork.core.compare.Recommendation;
import dev.groundwork.core.compare.RuntimeSummary;
import dev.groundwork.core.compare.ScorecardResult;
import dev.groundwork.core.runtime.RuntimeBudget;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.train.CheckResult;
import dev.groundwork.core.train.Diagnosis;
import dev.groundwork.core.train.EpochRecord;
import dev.groundwork.core.train.ExampleFit;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.LrFinderResult;
import dev.groundwork.core.train.Metric;
import dev.groundwork.core.train.OverfitEvidence;
import dev.groundwork.core.train.OverfitReport;
import dev.groundwork.core.train.Verdict;
import dev.groundwork.core.weights.LoadPolicy;
import dev.groundwork.core.weights.WeightLoadReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML and Markdown of results: structure, escaping, the numbers shown. */
class ReportTest {

  static final String HOSTILE = "<script>alert('x')</script> & \"q\" | *b*";
  static final Provenance PROV = new Provenance(42, Map.of("lr", "0.01", "note", HOSTILE),
      "test-backend", "sha256:abc123", "groundwork test · Java 17");

  static OverfitReport overfit() {
    OverfitEvidence ev = new OverfitEvidence(List.of(), 2.30, 2.31, 0.02, OptionalDouble.empty(),
        OptionalDouble.empty(), 0.5, 0.1, 0, 10, 0.3, 0.1, 0.2, true, 0.01, 0.01, false);
    return new OverfitReport(Verdict.WARN, Diagnosis.FEW_NEVER_FIT, "3 examples never fit " + HOSTILE,
        List.of("look at <these> examples"),
        List.of(new CheckResult("loss at init", CheckResult.Status.OK, "2.31 vs ln 10 = 2.30"),
            new CheckResult("fit", CheckResult.Status.WARN, "97/100 fit")), ev, 100, 10, 300,
        OptionalInt.of(120), Duration.ofMillis(4500), 2.31, 0.02, 0.97, 0.99,
        new double[] {2.3, 1.5, 0.9, 0.4, 0.1}, OptionalDouble.of(0.1), List.of(), List.of(),
        List.of(new ExampleFit("<img src=x onerror=alert(1)>", "Shirt", -1, 3.2, "T-shirt", -0.4),
            new ExampleFit("ex-7", "Coat", 250, 0.1, "Coat", 0.2)), 1234, PROV);
  }

  static FitResult fit() {
    return new FitResult("small-cnn", List.of(
        new EpochRecord(1, 1.2, 0.55, 1.0, 0.62, 0.01, 2, 0.5, 800),
        new EpochRecord(2, 0.8, 0.70, 0.75, 0.74, 0.005, 2, 0.5, 800),
        new EpochRecord(3, 0.6, 0.78, 0.70, 0.7625, 0.001, 2, 0.5, 800)),
        FitResult.StopReason.COMPLETED, "", Metric.VALIDATION_ACCURACY, 3, false, 0,
        Optional.empty(), Optional.empty(), "3 epochs · batch 64", PROV);
  }

  @Test
  void overfitReportEscapesEveryTextAndShowsItsFigures() {
    OverfitReport r = overfit();
    String html = r.toHtml();
    assertThat(html).doesNotContain("<script").doesNotContain("<img src=x")
        .doesNotContain("<these>")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        .contains("&lt;img src=x onerror=alert(1)&gt;")
        .contains(">97/100<").contains(">WARN<").contains("FEW_NEVER_FIT: 3 examples never fit")
        .contains("class=\"verdict-warn\"").contains("<tr class=\"warn\"><td>fit</td>")
        // the loss curve: 5 points, the target marker at step 120
        .contains("data-series=\"loss\" data-points=\"5\"").contains("data-x=\"120.0\"");
    String md = r.toMarkdown();
    assertThat(md).startsWith("## Overfit check\n").contains("**97/100** examples fit")
        .contains("\\| \\*b\\*").doesNotContain("<script").contains("&lt;img src=x")
        .contains("| check | status | detail |").contains("![training loss per step](data:image/svg+xml;base64,");
  }

  @Test
  void fitAndLrFinderDrawTheirCurves() {
    String html = fit().toHtml();
    assertThat(count(html, "<svg")).isEqualTo(3);
    assertThat(html).contains("data-series=\"train\" data-points=\"3\"")
        .contains("data-series=\"validation\" data-points=\"3\"")
        .contains(">76.3%<") // final validation accuracy 0.7625
        .contains("<td class=\"num\">0.7000</td>").contains("Learning rate");
    LrFinderResult lr = new LrFinderResult(List.of(1e-5, 1e-4, 1e-3, 1e-2, 1e-1),
        List.of(2.3, 2.2, 1.5, 1.2, 9.0), List.of(2.3, 2.25, 1.9, 1.5, 4.0), 1e-3, "steepest",
        1e-2, "loss exploded", PROV);
    assertThat(lr.toHtml()).contains(">0.00100<").contains("data-x=\"0.001000\"")
        .contains("data-series=\"smoothed\" data-points=\"5\"").contains("stopped: loss exploded"
            .substring(1));
  }

  @Test
  void weightLoadListsEachKindOfParameter() {
    WeightLoadReport w = new WeightLoadReport("model.safetensors", "safetensors", "ff00", true,
        LoadPolicy.values()[0], "resnet", List.of("a.weight", "a.bias"), List.of("head.weight"),
        List.of(), List.of(), List.of(), Map.of(), List.of(), List.of());
    String html = w.toHtml();
    assertThat(html).contains(">PARTIAL<").contains(">2 of 3<")
        .contains("<td>missing from the file</td><td class=\"num\">1</td><td>head.weight</td>");
  }

  @Test
  void aCombinedReportLinksEachSectionAndCarriesProvenance(@TempDir Path dir) throws Exception {
    Report report = Report.builder("Run " + HOSTILE).provenance(PROV).fact("seeds", "42, 43")
        .section(overfit().toSection().titled("Step 3: overfit"))
        .section(fit()).section(fit()).build();
    assertThat(report.sections()).extracting(Section::id)
        .containsExactly("step-3-overfit", "fit", "fit-2");
    String html = report.toHtml();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">")
        .contains("<title>Run &lt;script&gt;").contains("<th>dataset fingerprint</th><td>sha256:abc123</td>")
        .contains("<th>seeds</th><td>42, 43</td>").contains("<th>config: lr</th><td>0.01</td>")
        .contains("<a href=\"#step-3-overfit\">Step 3: overfit</a>")
        .contains("<a href=\"#fit-2\">").contains("<section id=\"fit-2\">")
        .doesNotContain("<script");
    // self-contained: no external resource of any kind
    assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//")
        .doesNotContain("url(").doesNotContain("@import");
    Matcher m = Pattern.compile("https?://[^\"]*").matcher(html);
    while (m.find()) {
      assertThat(m.group()).isEqualTo("http://www.w3.org/2000/svg"); // the SVG namespace only
    }
    String md = report.toMarkdown();
    assertThat(md).startsWith("# Run &lt;script&gt;").contains("| dataset fingerprint | sha256:abc123 |")
        .contains("1. [Step 3: overfit](#step-3-overfit)").contains("<a id=\"fit-2\"></a>");
    Path page = report.writeHtml(dir.resolve("sub/index.html"));
    assertThat(Files.readString(page)).isEqualTo(html);
    // written, the charts become files beside it; nothing else changes
    String written = Files.readString(report.writeMarkdown(dir.resolve("report.md")));
    assertThat(written).doesNotContain("data:image");
    assertThat(written.replaceAll("\\]\\(report-[a-z0-9-]+-[0-9]\\.svg\\)", "](X)")).isEqualTo(
        md.replaceAll("\\]\\(data:image/svg\\+xml;base64,[A-Za-z0-9+/=]+\\)", "](X)"));
  }

  @Test
  void theWrittenMarkdownLinksEachChartAndPictureAsAFileBesideIt(@TempDir Path dir)
      throws Exception {
    Split data = Datasets.fashionMnistSubset();
    dev.groundwork.core.data.Dataset test = data.test();
    float[] p = new float[test.size() * 10];
    for (int i = 0; i < test.size(); i++) {
      p[i * 10 + (test.label(i) + 1) % 10] = 0.9f; // every prediction wrong, confident
      p[i * 10 + test.label(i)] = 0.1f;
    }
    var gallery = dev.groundwork.core.look.Look.at(test,
        new dev.groundwork.core.model.ClassProbabilities(test.size(), 10, p)).confidentMistakes(4);
    Report report = Report.builder("Linked").provenance(PROV).section(fit())
        .section(overfit().toSection()).section(Sections.gallery(gallery)).build();
    String inline = report.toMarkdown();
    Path md = report.writeMarkdown(dir.resolve("out/run.md"));
    assertThat(md).isEqualTo(dir.resolve("out/run.md"));
    String text = Files.readString(md);
    assertThat(text).doesNotContain("data:");
    Matcher images = Pattern.compile("!\\[[^\\n]*?\\]\\(([^)]+)\\)").matcher(text);
    List<String> links = new java.util.ArrayList<>();
    while (images.find()) {
      links.add(images.group(1));
    }
    // as many images as the self-contained Markdown inlines, each a file named by its section
    assertThat(links).hasSize(Pattern.compile("\\]\\(data:image/").matcher(inline).results()
        .mapToInt(r -> 1).sum()).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
    assertThat(links).contains("run-fit-1.svg", "run-fit-2.svg")
        .anySatisfy(l -> assertThat(l).matches("run-look-.*-1\\.png"));
    try (var listing = Files.list(dir.resolve("out"))) {
      assertThat(listing.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(links.stream(),
              java.util.stream.Stream.of("run.md")).toList());
    }
    javax.xml.parsers.DocumentBuilderFactory xml =
        javax.xml.parsers.DocumentBuilderFactory.newInstance();
    xml.setNamespaceAware(true);
    xml.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    for (String link : links) {
      Path image = md.resolveSibling(link); // relative to the Markdown file: resolves
      assertThat(image).isRegularFile();
      if (link.endsWith(".svg")) {
        org.w3c.dom.Element svg = xml.newDocumentBuilder().parse(image.toFile())
            .getDocumentElement();
        assertThat(svg.getLocalName()).isEqualTo("svg");
        assertThat(svg.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getElementsByTagNameNS("*", "*").getLength()).isGreaterThan(10);
      } else {
        var png = javax.imageio.ImageIO.read(image.toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isGreaterThan(4 * 28);
      }
    }
    // the same bytes as the inlined images, in order
    Matcher inlined = Pattern.compile("\\]\\(data:image/[a-z+]+;base64,([A-Za-z0-9+/=]+)\\)")
        .matcher(inline);
    for (String link : links) {
      assertThat(inlined.find()).isTrue();
      assertThat(Files.readAllBytes(md.resolveSibling(link)))
          .isEqualTo(java.util.Base64.getDecoder().decode(inlined.group(1)));
    }
    // a name that would need escaping in a link gives plain file names
    String spaced = Files.readString(report.writeMarkdown(dir.resolve("my run (1).md")));
    assertThat(spaced).contains("](my-run--1--fit-1.svg)");
    assertThat(dir.resolve("my-run--1--fit-1.svg")).isRegularFile();
    // the HTML stays self-contained
    assertThat(report.toHtml()).doesNotContain("run-fit-1.svg").contains("<svg");
    // a smaller report written over it removes the pictures only the earlier one linked, and
    // leaves files it did not write (a user's own, named like them) alone
    Path own = Files.writeString(dir.resolve("out/run-notes-1.png"), "mine");
    Report smaller = Report.builder("Smaller").provenance(PROV).section(fit()).build();
    String rewritten = Files.readString(smaller.writeMarkdown(dir.resolve("out/run.md")));
    assertThat(rewritten).contains("](run-fit-1.svg)");
    try (var listing = Files.list(dir.resolve("out"))) {
      List<String> left = listing.map(f -> f.getFileName().toString()).sorted().toList();
      assertThat(left).contains("run.md", "run-notes-1.png", "run-fit-1.svg")
          .doesNotContainAnyElementsOf(links.stream().filter(l -> !rewritten.contains(l))
              .toList());
      assertThat(left).hasSize(2 + (int) links.stream().filter(rewritten::contains).count());
    }
    assertThat(own).hasContent("mine");
  }

  @Test
  void aSectionIdMustBeAnAnchor() {
    assertThatThrownBy(() -> new Section("Bad id", "t", "", "", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad id'");
    assertThat(Html.anchor("Step 1: Choose — the «scorecard»")).isEqualTo("step-1-choose-the-scorecard");
    assertThat(Svg.ticks(0, 1)).hasSize(6).allSatisfy(t -> assertThat(t * 5 % 1).isCloseTo(0,
        org.assertj.core.data.Offset.offset(1e-9)));
    assertThat(Svg.ticks(0, 1).stream().map(t -> Svg.tick(t, Svg.ticks(0, 1))).toList())
        .containsExactly("0", "0.2", "0.4", "0.6", "0.8", "1.0");
    assertThat(Svg.tick(8, List.of(2.0, 4.0, 6.0, 8.0))).isEqualTo("8");
    assertThat(Svg.tick(8e-4, List.of(2e-4, 4e-4))).isEqualTo("8.0e-04");
  }

  @Test
  void aFailureAnalysisShowsItsConfusionCellsAndReliabilityBins() {
    Split data = Datasets.fashionMnistSubset();
    SoftmaxRegression model = SoftmaxRegression.train(data.train(),
        SoftmaxRegression.Settings.defaults().withEpochs(3), 7);
    ClassificationAnalysis a = FailureAnalysis.classification(model, data.test(), 256).run();
    String html = a.toHtml();
    assertThat(html).contains(">" + Html.pct(a.metrics().accuracy()) + "<");
    // 10 × 10 cells whose counts are the confusion matrix's
    Matcher cells = Pattern.compile("class=\"cell\" data-row=\"(\\d+)\" data-col=\"(\\d+)\" "
        + "data-count=\"(\\d+)\"").matcher(html);
    long[][] counts = a.confusion().counts();
    int n = 0;
    long total = 0;
    while (cells.find()) {
      int r = Integer.parseInt(cells.group(1));
      int c = Integer.parseInt(cells.group(2));
      assertThat(Long.parseLong(cells.group(3))).isEqualTo(counts[r][c]);
      total += counts[r][c];
      n++;
    }
    assertThat(n).isEqualTo(100);
    assertThat(total).isEqualTo(1000);
    long bins = a.calibration().bins().stream().filter(b -> b.count() > 0).count();
    assertThat(count(html, "class=\"bin\"")).isEqualTo((int) bins);
    assertThat(count(html, "<tr><td>")).isGreaterThan(10);
    assertThat(html).contains("Collection plan").contains("Likely label errors")
        .contains("Ankle boot");
    assertThat(a.toMarkdown()).contains("| class | precision | recall | F1 | support |")
        .contains("![confusion matrix](data:image/svg+xml;base64,");
  }

  @Test
  void aScorecardShowsEachCandidateWithItsSpreadAndThePick() {
    RuntimeSummary fast = new RuntimeSummary(0.2, 0.4, 32, 9000, true, List.of());
    RuntimeSummary slow = new RuntimeSummary(3, 9, 32, 400, false, List.of("p99 over by 4 ms"));
    List<CandidateResult> results = List.of(
        CandidateResult.measured("majority-class", Candidate.Kind.BASELINE, "none",
            List.of(0.1, 0.1), 0, OptionalLong.empty(), 0, fast),
        CandidateResult.measured("mlp", Candidate.Kind.TRAINED, "2 layers", List.of(0.80, 0.82),
            100_000, OptionalLong.of(400_000), 3, fast),
        CandidateResult.measured("cnn <big>", Candidate.Kind.TRAINED, "conv", List.of(0.86, 0.88),
            300_000, OptionalLong.empty(), 9, slow),
        CandidateResult.failed("broken", Candidate.Kind.TRAINED, "?", "seed 1: boom"));
    ScorecardResult card = new ScorecardResult("1,600 train · 1,000 test", results,
        Recommendation.paretoFront(results), Recommendation.of(results, 0.01),
        RuntimeBudget.none().p99AtBatch1(5), ProfileSettings.of(5, 100, 1, 32), List.of(1L, 2L),
        PROV);
    String html = card.toHtml();
    assertThat(html).contains(">mlp<").contains("cnn &lt;big&gt;").doesNotContain("<big>")
        .contains("81.0% ± 1.4%") // mean 0.81, sample sd 0.01414
        .contains("<tr class=\"fail\"><td>broken</td>").contains("FAILED: seed 1: boom")
        .contains("data-value=\"0.8100\" data-low=\"0.7959\" data-high=\"0.8241\"")
        .contains(">best baseline<");
    assertThat(count(html, "class=\"bar\"")).isEqualTo(3);
    assertThat(html).contains("<tr class=\"chosen\"><td>" + card.recommended().orElseThrow());
  }

  @Test
  void detectionResultsShowTheirApAndErrorKinds() {
    List<String> classes = List.of("cat", "dog <b>");
    List<GroundTruthBox> gts = List.of(GroundTruthBox.of("img", "cat", 0, 0, 10, 10),
        GroundTruthBox.of("img", "dog <b>", 100, 0, 110, 10));
    List<DetectedBox> dts = List.of(DetectedBox.of("img", "cat", 0.9, 0, 0, 10, 10),
        DetectedBox.of("img", "cat", 0.8, 100, 0, 110, 10));
    TideResult tide = TideAnalyzer.of(classes).analyze(gts, dts);
    String html = tide.toHtml();
    assertThat(html).contains(">" + Html.fixed(tide.ap(), 4) + "<")
        .contains("<td>Cls</td><td class=\"num\">" + tide.count(TideErrorType.CLASSIFICATION))
        .contains(String.format(Locale.ROOT, "%+.4f", tide.deltaAp(TideErrorType.CLASSIFICATION)));
    assertThat(count(html, "class=\"bar\"")).isEqualTo(TideErrorType.values().length);
    CocoResult coco = CocoEvaluator.forBoxes(classes).evaluate(gts, dts);
    assertThat(coco.toHtml()).contains(">" + Html.fixed(coco.ap(), 4) + "<")
        .contains("dog &lt;b&gt;").doesNotContain("<b>").contains("AP@.50 all maxDets=100");
  }

  @Test
  void barsWithoutReferenceOrIntervalDrawNoNaN() {
    String svg = Svg.bars("t", "error rate", List.of(new Svg.Bar("a", 0.25, Double.NaN,
        Double.NaN, ""), new Svg.Bar("b", 0.5, 0.4, 0.6, "n=10")), Double.NaN, "");
    assertThat(svg).doesNotContain("NaN").contains("data-value=\"0.2500\"")
        .contains("class=\"interval\"");
    // the axis ends at 110% of the highest interval end: 66%
    assertThat(svg).contains("error rate (0 – 66.0%)");
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
