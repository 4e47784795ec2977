package dev.groundwork.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.InvalidParameterException;
import dev.groundwork.core.data.DataException;
import dev.groundwork.core.data.DataFormatException;
import dev.groundwork.core.data.Dataset;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.LabelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationPredictionsTest {
  @TempDir Path dir;

  static final List<String> AB = List.of("cat", "dog");

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  /** Asserts the exact type and that message and record() name the record. */
  private static <T extends DataException> T fails(Class<T> type, ThrowingCallable call,
      long record, String... words) {
    Throwable t = catchThrowable(call);
    assertThat(t).isExactlyInstanceOf(type);
    T e = type.cast(t);
    assertThat(e.record()).hasValue(record);
    assertThat(e.getMessage()).contains(words);
    return e;
  }

  // ------------------------------------------------------------------ in memory

  @Test
  void lengthsThatDifferFromTheGroundTruth() {
    fails(DataFormatException.class, () -> ClassificationPredictions.of(List.of("a", "b", "c"),
        new int[] {0, 1}, new float[] {1, 0, 0, 1}, AB), 2, "3 ids, 2 labels, 2 probability rows",
        "record 2");
    fails(DataFormatException.class, () -> ClassificationPredictions.of(List.of("a", "b"),
        new int[] {0, 1}, new float[] {1, 0, 0}, AB), 1, "not a whole number of rows");
  }

  @Test
  void duplicateIds() {
    fails(DataFormatException.class, () -> ClassificationPredictions.of(List.of("a", "b", "a"),
        new int[] {0, 1, 0}, new float[] {1, 0, 0, 1, 1, 0}, AB), 2, "record 2", "'a'",
        "already used");
  }

  @Test
  void rowsNotSummingToOne() {
    fails(DataFormatException.class, () -> ClassificationPredictions.of(List.of("a", "b"),
        new int[] {0, 1}, new float[] {0.7f, 0.3f, 0.5f, 0.4f}, AB), 1, "record 1 (id 'b')",
        "summing to 0.9", "1 ± 0.001", "fromLogits");
    // within the tolerance is fine, and a looser tolerance accepts more
    assertThat(ClassificationPredictions.of(List.of("a"), new int[] {0},
        new float[] {0.6f, 0.3995f}, AB).size()).isEqualTo(1);
    assertThat(ClassificationPredictions.of(List.of("a"), new int[] {0},
        new float[] {0.6f, 0.39f}, AB, List.of(), 0.02).size()).isEqualTo(1);
  }

  @Test
  void nanInfAndNegativeScores() {
    fails(DataFormatException.class, () -> ClassificationPredictions.of(List.of("a", "b"),
        new int[] {0, 1}, new float[] {1, 0, Float.NaN, 1}, AB), 1, "id 'b'", "NaN");
    fails(DataFormatException.class, () -> ClassificationPredictions.of(List.of("a", "b"),
        new int[] {0, 1}, new float[] {Float.POSITIVE_INFINITY, 0, 0, 1}, AB), 0, "Infinity");
    fails(DataFormatException.class, () -> ClassificationPredictions.of(List.of("a", "b"),
        new int[] {0, 1}, new float[] {1, 0, -0.2f, 1.2f}, AB), 1, "negative probability -0.2");
    fails(DataFormatException.class, () -> ClassificationPredictions.fromLogits(List.of("a"),
        new int[] {0}, new float[] {Float.NaN, 1}, AB), 0, "NaN logit");
  }

  @Test
  void labelsOutsideTheClasses() {
    fails(LabelException.class, () -> ClassificationPredictions.of(List.of("a", "b"),
        new int[] {0, 2}, new float[] {1, 0, 0, 1}, AB), 1, "id 'b'", "label 2", "[cat, dog]");
  }

  @Test
  void badParameters() {
    assertThatThrownBy(() -> ClassificationPredictions.of(List.of("a"), new int[] {0},
        new float[] {1, 0}, List.of("x", "x")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("unique");
    assertThatThrownBy(() -> SliceOptions.builder().maxOrder(4).build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("maxOrder");
    assertThatThrownBy(() -> SliceOptions.builder().fdr(1.5).build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("fdr");
    fails(DataFormatException.class, () -> ClassificationMetricsTest.fixture()
        .withEmbeddings(new float[] {1, 2, 3}, 2), 1, "3 embedding values");
  }

  @Test
  void logitsAreTurnedIntoProbabilities() {
    ClassificationPredictions p = ClassificationPredictions.fromLogits(List.of("a", "b"),
        new int[] {0, 1}, new float[] {2, 0, 0, 0}, AB);
    // softmax(2, 0) = (e² / (e² + 1), 1 / (e² + 1)) = (0.8808, 0.1192)
    assertThat(p.probability(0, 0)).isCloseTo(0.8808f, within(1e-4f));
    assertThat(p.probability(1, 1)).isCloseTo(0.5f, within(1e-6f));
  }

  @Test
  void alignToTheGroundTruth() {
    Dataset test = Datasets.fashionMnistSubset().test().subset(0, 1, 2);
    int[] y = test.labels();
    float[] probs = new float[30];
    List<String> ids = List.of(test.id(2), test.id(0), test.id(1));
    int[] labels = {y[2], y[0], y[1]};
    for (int i = 0; i < 3; i++) {
      probs[i * 10 + labels[i]] = 1;
    }
    ClassificationPredictions p = ClassificationPredictions.of(ids, labels, probs,
        test.classes());
    ClassificationPredictions aligned = p.alignTo(test);
    assertThat(aligned.ids()).isEqualTo(test.ids());
    assertThat(aligned.predicted(0)).isEqualTo(y[0]);
    // an id the ground truth does not have
    ClassificationPredictions other = ClassificationPredictions.of(
        List.of(test.id(0), test.id(1), "ghost"), new int[] {y[0], y[1], y[2]}, probs,
        test.classes());
    fails(DataFormatException.class, () -> other.alignTo(test), 2, test.id(2));
    // a label that disagrees
    int[] wrong = {(y[2] + 1) % 10, y[0], y[1]};
    float[] wp = new float[30];
    for (int i = 0; i < 3; i++) {
      wp[i * 10 + wrong[i]] = 1;
    }
    ClassificationPredictions disagree = ClassificationPredictions.of(ids, wrong, wp,
        test.classes());
    fails(LabelException.class, () -> disagree.alignTo(test), 0, "ground truth");
  }

  // ------------------------------------------------------------------ files

  @Test
  void csvWithOneColumnPerClassAndMetadata() throws IOException {
    Path f = write("preds.csv", """
        id,label,cat,dog,city,"note, quoted"
        a,cat,0.9,0.1,Oslo,"x, y"
        b,dog,0.2,0.8,Rome,
        c,dog,0.6,0.4,Oslo,z
        """);
    ClassificationPredictions p = ClassificationPredictions.readCsv(f);
    assertThat(p.classes()).containsExactly("cat", "dog");
    assertThat(p.ids()).containsExactly("a", "b", "c");
    assertThat(p.labels()).containsExactly(0, 1, 1);
    assertThat(p.probability(2, 0)).isEqualTo(0.6f);
    assertThat(p.attributes()).containsExactly("city", "note, quoted");
    assertThat(p.metadata(0)).isEqualTo(Map.of("city", "Oslo", "note, quoted", "x, y"));
    assertThat(p.metadata(1)).isEqualTo(Map.of("city", "Rome"));
    assertThat(p.source()).endsWith("preds.csv");
  }

  @Test
  void csvWithAProbsArrayAndLogits() throws IOException {
    Path f = write("logits.csv", """
        id,label,probs,site
        a,cat,"[2.0, 0]",s1
        b,dog,"[0, 0]",s2
        """);
    ClassificationPredictions p = ClassificationPredictions.readCsv(f,
        PredictionFileOptions.builder().classes(AB).logits(true).build());
    assertThat(p.probability(0, 0)).isCloseTo(0.8808f, within(1e-4f));
    assertThat(p.probability(1, 1)).isCloseTo(0.5f, within(1e-6f));
    assertThat(p.metadata(1)).containsEntry("site", "s2");
  }

  @Test
  void jsonlWithProbsArraysAndMetadata() throws IOException {
    Path f = write("preds.jsonl", """
        {"id": "a", "label": "cat", "probs": [0.7, 0.3], "city": "Oslo", "age": 31}
        
        {"id": "b", "label": "dog", "probs": [0.1, 0.9], "city": null, "flag": true}
        """);
    ClassificationPredictions p = ClassificationPredictions.readJsonl(f,
        PredictionFileOptions.builder().classes(AB).build());
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.metadata(0)).isEqualTo(Map.of("city", "Oslo", "age", "31"));
    assertThat(p.metadata(1)).isEqualTo(Map.of("flag", "true"));
    assertThat(p.predicted(1)).isEqualTo(1);
  }

  @Test
  void jsonlWithKeysNamedAfterClassesAndIntegerLabels() throws IOException {
    Path keyed = write("keyed.jsonl", """
        {"id": "a", "label": "cat", "cat": 0.7, "dog": 0.3}
        {"id": "b", "label": "dog", "cat": 0.4, "dog": 0.6}
        """);
    assertThat(ClassificationPredictions.readJsonl(keyed).classes()).containsExactly("cat", "dog");
    Path numbered = write("numbered.jsonl", """
        {"id": "a", "label": 0, "probs": [0.7, 0.2, 0.1]}
        {"id": "b", "label": 2, "probs": [0.1, 0.2, 0.7]}
        """);
    ClassificationPredictions p = ClassificationPredictions.readJsonl(numbered);
    assertThat(p.classes()).containsExactly("0", "1", "2");
    assertThat(p.labels()).containsExactly(0, 2);
  }

  @Test
  void csvAndJsonlWithProbsArraysAndIntegerLabelsInferTheSameClasses() throws IOException {
    Path csv = write("numbered.csv", """
        id,label,probs,site
        a,0,"[0.7, 0.2, 0.1]",s1
        b,2,"[0.1, 0.2, 0.7]",
        c,1,"[0.3, 0.4, 0.3]",s2
        """);
    Path jsonl = write("numbered3.jsonl", """
        {"id": "a", "label": 0, "probs": [0.7, 0.2, 0.1], "site": "s1"}
        {"id": "b", "label": 2, "probs": [0.1, 0.2, 0.7], "site": null}
        {"id": "c", "label": 1, "probs": [0.3, 0.4, 0.3], "site": "s2"}
        """);
    ClassificationPredictions fromCsv = ClassificationPredictions.readCsv(csv);
    ClassificationPredictions fromJsonl = ClassificationPredictions.readJsonl(jsonl);
    for (ClassificationPredictions p : List.of(fromCsv, fromJsonl)) {
      assertThat(p.classes()).containsExactly("0", "1", "2");
      assertThat(p.ids()).containsExactly("a", "b", "c");
      assertThat(p.labels()).containsExactly(0, 2, 1);
      assertThat(p.attributes()).containsExactly("site");
    }
    assertThat(fromCsv.probabilities()).containsExactly(fromJsonl.probabilities());
    for (int i = 0; i < 3; i++) {
      assertThat(fromCsv.metadata(i)).isEqualTo(fromJsonl.metadata(i));
    }
    // the same rule refuses class-name labels with an array in both forms
    Path named = write("named.csv", "id,label,probs\na,cat,\"[0.7, 0.3]\"\n");
    Path namedJsonl = write("named.jsonl", "{\"id\": \"a\", \"label\": \"cat\", "
        + "\"probs\": [0.7, 0.3]}\n");
    for (Path f : List.of(named, namedJsonl)) {
      boolean isCsv = f.toString().endsWith(".csv");
      assertThatThrownBy(() -> {
        if (isCsv) {
          ClassificationPredictions.readCsv(f);
        } else {
          ClassificationPredictions.readJsonl(f);
        }
      }).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("the labels are class names (e.g. 'cat')")
          .hasMessageContaining(f.getFileName().toString());
    }
    // a malformed array in the first row is reported at its line while classes are inferred
    Path bad = write("bad-array.csv", "id,label,probs\na,0,\"[0.7; 0.3]\"\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readCsv(bad), 2,
        "bad-array.csv", "line 2", "not a JSON array");
  }

  @Test
  void fileErrorsNameFileAndLine() throws IOException {
    Path sum = write("sum.csv", "id,label,cat,dog\na,cat,0.9,0.1\nb,dog,0.5,0.3\n");
    DataFormatException e = fails(DataFormatException.class,
        () -> ClassificationPredictions.readCsv(sum), 3, "sum.csv", "line 3", "id 'b'",
        "summing to 0.8");
    assertThat(e.source()).hasValueSatisfying(s -> assertThat(s).endsWith("sum.csv"));

    Path unknown = write("unknown.csv", "id,label,cat,dog\na,cat,0.9,0.1\nb,cow,0.5,0.5\n");
    fails(LabelException.class, () -> ClassificationPredictions.readCsv(unknown,
        PredictionFileOptions.builder().classes(AB).build()), 3, "line 3", "'cow'");

    Path nan = write("nan.csv", "id,label,cat,dog\na,cat,NaN,0.1\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readCsv(nan), 2, "line 2",
        "NaN");

    Path negative = write("neg.jsonl", "{\"id\":\"a\",\"label\":\"cat\",\"cat\":1.5,\"dog\":-0.5}\n"
        + "{\"id\":\"b\",\"label\":\"dog\",\"cat\":0,\"dog\":1}\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readJsonl(negative), 1,
        "line 1", "negative");

    Path malformed = write("bad.jsonl", "{\"id\":\"a\",\"label\":\"cat\",\"probs\":[1,0]}\n"
        + "{\"id\":\"b\",\"label\":\"dog\",\"probs\":[0,1]\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readJsonl(malformed,
        PredictionFileOptions.builder().classes(AB).build()), 2, "line 2", "malformed JSON");

    Path short1 = write("short.csv", "id,label,cat,dog\na,cat,1,0\nb,dog,1\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readCsv(short1), 3,
        "line 3", "3 fields");

    Path dup = write("dup.csv", "id,label,cat,dog\na,cat,1,0\na,dog,0,1\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readCsv(dup), 3,
        "repeats the id 'a'");

    Path count = write("count.jsonl", "{\"id\":\"a\",\"label\":\"cat\",\"probs\":[1,0,0]}\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readJsonl(count,
        PredictionFileOptions.builder().classes(AB).build()), 1, "3 scores", "2 classes");

    assertThatThrownBy(() -> ClassificationPredictions.readCsv(dir.resolve("missing.csv")))
        .isInstanceOf(dev.groundwork.core.data.DataNotFoundException.class)
        .hasMessageContaining("missing.csv");
  }

  @Test
  void fifoIsRefusedWithoutBlocking() {
    Path fifo = dev.groundwork.core.data.HostileFiles.fifo(dir.resolve("preds.csv"));
    for (ThrowingCallable read : List.<ThrowingCallable>of(
        () -> ClassificationPredictions.readCsv(fifo),
        () -> ClassificationPredictions.readJsonl(fifo))) {
      Throwable t = dev.groundwork.core.data.HostileFiles.failsQuickly(read);
      assertThat(t).isExactlyInstanceOf(dev.groundwork.core.data.DataNotFoundException.class)
          .hasMessageContaining("predictions file " + fifo + " is a FIFO, socket or device");
      assertThat(((DataException) t).source()).hasValue(fifo.toString());
    }
  }

  @Test
  void nothingIsReadIntoSomethingElse() throws IOException {
    Path stray = write("stray.csv", "id,label,cat,dog\na,cat,1,0\n\"b\"x,dog,0,1\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readCsv(stray), 3,
        "stray.csv: line 3: field 1 has text after its closing quote ('\"b\"x…')");
    Path spaced = write("spaced.csv", "id,label,cat,dog\n\"a\" ,cat,1,0\n");
    assertThat(ClassificationPredictions.readCsv(spaced).ids()).containsExactly("a");

    Path nullId = write("null-id.jsonl", "{\"id\": \"a\", \"label\": \"cat\", \"cat\": 1, "
        + "\"dog\": 0}\n{\"id\": null, \"label\": \"dog\", \"cat\": 0, \"dog\": 1}\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readJsonl(nullId), 2,
        "null-id.jsonl: line 2 has no 'id' value");
    Path nullLabel = write("null-label.jsonl", "{\"id\": \"a\", \"label\": null, \"probs\":"
        + " [1, 0]}\n");
    fails(DataFormatException.class, () -> ClassificationPredictions.readJsonl(nullLabel,
        PredictionFileOptions.builder().classes(AB).build()), 1,
        "null-label.jsonl: line 1 (id 'a') has no 'label' value");

    // With logits, a class that is never a true label would silently become metadata.
    Path logits = write("logits.csv", "id,label,cat,dog,bird\na,cat,2.5,0.1,3.0\nb,dog,0,1,-1\n");
    Throwable t = catchThrowable(() -> ClassificationPredictions.readCsv(logits,
        PredictionFileOptions.builder().logits(true).build()));
    assertThat(t).isExactlyInstanceOf(DataFormatException.class)
        .hasMessageContaining(logits + ": the scores are logits in one column per class, but no "
            + "class list was given").hasMessageContaining(".classes(...)");
    assertThat(((DataException) t).source()).hasValue(logits.toString());
    assertThat(ClassificationPredictions.readCsv(logits, PredictionFileOptions.builder()
        .classes(List.of("cat", "dog", "bird")).logits(true).build()).classes())
        .containsExactly("cat", "dog", "bird");
  }
}
