package dev.groundwork.core.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.compare.Approach.ReportedFigure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalog is complete, its ids are stable, and docs/catalog.md is its rendering. */
class ApproachCatalogTest {

  /** Baselines carry no reported figure; every other approach must. */
  static final Set<String> BASELINES = Set.of("majority", "logistic-regression",
      "tfidf-logistic");

  static final Path PAGE = Path.of("..", "docs", "catalog.md");

  @Test
  void idsAreUniqueAndEachTaskHasFourToSix() {
    List<String> ids = ApproachCatalog.ids();
    assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    for (Task t : Task.values()) {
      assertThat(ApproachCatalog.forTask(t)).as(t.name()).hasSizeBetween(4, 6)
          .allMatch(a -> a.task() == t);
    }
    assertThat(ApproachCatalog.all()).hasSize(21);
  }

  @Test
  void theScorecardsIdsAreThere() {
    for (String id : List.of("majority", "logistic-regression", "tfidf-logistic", "mlp",
        "small-cnn", "resnet")) {
      assertThat(ApproachCatalog.find(id)).as(id).isPresent();
    }
    assertThat(ApproachCatalog.find("tfidf-logistic").orElseThrow().task())
        .isEqualTo(Task.TEXT_CLASSIFICATION);
    assertThat(ApproachCatalog.find("no-such-approach")).isEmpty();
  }

  @Test
  void everyEntryIsComplete() {
    for (Approach a : ApproachCatalog.all()) {
      String where = a.id();
      assertThat(a.id()).as(where).matches("[a-z0-9]+(-[a-z0-9]+)*");
      for (String field : List.of(a.name(), a.idea(), a.cost(), a.goodAt(), a.badAt())) {
        assertThat(field).as(where).isNotBlank();
      }
      // a few sentences: the idea is more than a phrase
      assertThat(a.idea().length()).as(where).isGreaterThan(80);
      a.parameters().ifPresent(p -> assertThat(p).as(where).isNotBlank());
      a.implementedBy().ifPresent(c -> assertThat(c).as(where)
          .matches("dev\\.groundwork(\\.[a-z]+)+\\.[A-Z][A-Za-z]*(#[a-z][A-Za-z]*)?"));
      if (BASELINES.contains(a.id())) {
        assertThat(a.reported()).as(where).isEmpty();
      } else {
        assertThat(a.reported()).as(where).isNotEmpty();
      }
      for (ReportedFigure f : a.reported()) {
        assertThat(f.value()).as(where).isFinite().isPositive();
        for (String field : List.of(f.metric(), f.unit(), f.benchmark(), f.source())) {
          assertThat(field).as(where).isNotBlank();
        }
        if (f.unit().equals("%")) {
          assertThat(f.value()).as(where).isLessThanOrEqualTo(100);
        }
      }
    }
  }

  @Test
  void figuresAreThoseOfTheirSources() {
    // checked against torchvision's weights tables, the DETR README and the Ultralytics docs
    assertThat(figure("resnet", "ImageNet-1k val", "top-1 accuracy")).isEqualTo(69.758);
    assertThat(figure("mobilenet-v2", "ImageNet-1k val", "top-1")).isEqualTo(71.878);
    assertThat(figure("detr", "COCO val2017", "box AP")).isEqualTo(42.0);
    assertThat(figure("yolov8", "COCO val2017", "mAP")).isEqualTo(37.3);
    assertThat(figure("keypoint-rcnn", "COCO val2017", "keypoint AP")).isEqualTo(65.0);
    assertThat(figure("mlp", "Fashion-MNIST test", "test accuracy")).isEqualTo(90.0);
  }

  static double figure(String id, String benchmark, String metricPrefix) {
    return ApproachCatalog.find(id).orElseThrow().reported().stream()
        .filter(f -> f.benchmark().equals(benchmark) && f.metric().startsWith(metricPrefix))
        .findFirst().orElseThrow().value();
  }

  @Test
  void theTableListsEveryApproach() {
    String t = ApproachCatalog.table();
    assertThat(t).startsWith("ApproachCatalog  21 approaches");
    for (Approach a : ApproachCatalog.all()) {
      assertThat(t).contains(a.id());
    }
    assertThat(t).contains("dev.groundwork.djl.DjlModels#smallCnn", "not yet", "baseline",
        "69.758 % ImageNet-1k val");
  }

  /**
   * docs/catalog.md is {@link ApproachCatalog#markdown()}; to regenerate it run this test with
   * {@code -Dgroundwork.writeCatalog=true}.
   */
  @Test
  void theDocsPageIsTheCatalogsRendering() throws IOException {
    String md = ApproachCatalog.markdown();
    if (Boolean.getBoolean("groundwork.writeCatalog")) {
      Files.writeString(PAGE, md);
    }
    assertThat(Files.readString(PAGE))
        .as("docs/catalog.md differs from ApproachCatalog.markdown(); regenerate it with "
            + "mvn -pl core test -Dtest=ApproachCatalogTest -Dgroundwork.writeCatalog=true")
        .isEqualTo(md);
    for (Approach a : ApproachCatalog.all()) {
      assertThat(md).contains("(`" + a.id() + "`)");
      a.reported().forEach(f -> assertThat(md).contains(f.source()));
    }
  }
}
