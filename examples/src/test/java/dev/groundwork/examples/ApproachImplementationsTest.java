package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.compare.Approach;
import dev.groundwork.core.compare.ApproachCatalog;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every builder the approach catalog names exists: this module sees core and both backends, so
 * each {@code implementedBy} class loads and has a public method of the named name.
 */
class ApproachImplementationsTest {

  @Test
  void everyNamedImplementationExists() throws ClassNotFoundException {
    List<Approach> implemented = ApproachCatalog.all().stream()
        .filter(a -> a.implementedBy().isPresent()).toList();
    assertThat(implemented).hasSizeGreaterThanOrEqualTo(9);
    for (Approach a : implemented) {
      String[] parts = a.implementedBy().orElseThrow().split("#");
      Class<?> type = Class.forName(parts[0]);
      if (parts.length == 2) {
        assertThat(Arrays.stream(type.getMethods()).map(Method::getName))
            .as(a.id() + " → " + a.implementedBy().orElseThrow()).contains(parts[1]);
      }
    }
  }

  @Test
  void theBuildersAreWhereTheCatalogSays() {
    assertThat(ApproachCatalog.find("small-cnn").orElseThrow().implementedBy())
        .contains("dev.groundwork.djl.DjlModels#smallCnn");
    assertThat(ApproachCatalog.find("detr").orElseThrow().implementedBy())
        .contains("dev.groundwork.onnx.OnnxDetector");
    assertThat(ApproachCatalog.find("fasttext").orElseThrow().implementedBy()).isEmpty();
  }
}
