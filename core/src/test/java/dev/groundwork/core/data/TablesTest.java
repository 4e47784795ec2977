package dev.groundwork.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.groundwork.core.InvalidParameterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TablesTest {
  @TempDir Path dir;

  private static final TableOptions FEATURES =
      TableOptions.builder().label("label").features("f1", "f2").build();
  private static final TableOptions TEXT =
      TableOptions.builder().label("label").text("text").build();

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static float[] features(Dataset d, int i) {
    return ((TensorInput) d.input(i)).values();
  }

  private static String text(Dataset d, int i) {
    return ((TextInput) d.input(i)).text();
  }

  /** Asserts the exact type and that message, source and record name the file and line. */
  private static <T extends DataException> T fails(Class<T> type, ThrowingCallable load,
      String file, int line) {
    Throwable t = catchThrowable(load);
    assertThat(t).isExactlyInstanceOf(type);
    T e = type.cast(t);
    assertThat(e.getMessage()).contains(file).containsPattern("\\bline " + line + "\\b");
    assertThat(e.source()).hasValueSatisfying(s -> assertThat(s).endsWith(file));
    assertThat(e.record()).hasValue(line);
    return e;
  }

  // ------------------------------------------------------------------ CSV

  @Test
  void csvLoadsFeaturesLabelsMetadataAndIds() throws IOException {
    Path file = write("flowers.csv", """
        f1,f2,label,city,device
        1.5,-2,cat,Oslo,phone
        0.25, 3e2 ,dog,Rome,web
        7,.5,cat,Oslo,web
        """);
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").features("f2", "f1")
        .metadata("city", "device").build());

    assertThat(d.name()).isEqualTo("flowers");
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.spec()).isEqualTo(DatasetSpec.features(2, List.of("cat", "dog")));
    assertThat(d.labels()).containsExactly(0, 1, 0);
    assertThat(features(d, 0)).containsExactly(-2f, 1.5f);
    assertThat(features(d, 1)).containsExactly(300f, 0.25f);
    assertThat(features(d, 2)).containsExactly(0.5f, 7f);
    assertThat(((TensorInput) d.input(0)).shape()).containsExactly(2);
    assertThat(d.metadata(1)).containsExactly(Map.entry("city", "Rome"),
        Map.entry("device", "web"));
    assertThat(d.ids()).containsExactly("flowers.csv:2", "flowers.csv:3", "flowers.csv:4");
    assertThat(d.origin()).isEqualTo("CSV " + file.toAbsolutePath() + " (3 rows)");
    assertThat(d.loadReport()).isEqualTo(LoadReport.clean(3));
    // batching goes through decodeInto
    Batch b = d.batches(3).iterator().next();
    assertThat(b.inputs()).containsExactly(-2f, 1.5f, 300f, 0.25f, 0.5f, 7f);
    assertThat(b.shape()).containsExactly(3, 2);
  }

  @Test
  void csvAllOtherColumnsAsFeaturesSkipsLabelIdAndMetadata() throws IOException {
    Path file = write("t.csv", "id,a,site,b,label,c\nx1,1,s,2,yes,3\nx2,4,s,5,no,6\n");
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").allOtherColumnsAsFeatures()
        .metadata("site").id("id").build());
    assertThat(d.spec().inputShape()).containsExactly(3);
    assertThat(features(d, 1)).containsExactly(4f, 5f, 6f);
    assertThat(d.ids()).containsExactly("x1", "x2");
    assertThat(d.classes()).containsExactly("no", "yes");
    assertThat(d.labels()).containsExactly(1, 0);
  }

  @Test
  void csvQuotedFieldsHoldDelimitersLineBreaksAndQuotes() throws IOException {
    Path file = write("quoted.csv", """
        "text","label"
        "hello, world",pos
        "line one
        line two",neg
        "she said ""hi""\",pos

        plain "inch" mark,neg
        """ + "\"trailing\",\"\"\"q\"\"\"\n");
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").text("text").build());
    assertThat(d.size()).isEqualTo(5);
    assertThat(text(d, 0)).isEqualTo("hello, world");
    assertThat(text(d, 1)).isEqualTo("line one\nline two");
    assertThat(text(d, 2)).isEqualTo("she said \"hi\"");
    assertThat(text(d, 3)).isEqualTo("plain \"inch\" mark");
    assertThat(text(d, 4)).isEqualTo("trailing");
    assertThat(d.classes()).containsExactly("\"q\"", "neg", "pos");
    // physical start lines: the multi-line record spans 3-4, line 6 is empty
    assertThat(d.ids()).containsExactly("quoted.csv:2", "quoted.csv:3", "quoted.csv:5",
        "quoted.csv:7", "quoted.csv:8");
  }

  @Test
  void csvWithBomCrlfAndSemicolons() throws IOException {
    Path file = dir.resolve("semi.csv");
    Files.write(file, ("\uFEFFtext;label\r\n\"a;b\r\nc\";one\r\nsecond;two\r\n")
        .getBytes(StandardCharsets.UTF_8));
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").text("text")
        .delimiter(';').build());
    assertThat(d.spec()).isEqualTo(DatasetSpec.text(List.of("one", "two")));
    assertThat(d.get(0).input()).isEqualTo(new TextInput("a;b\nc"));
    assertThat(text(d, 1)).isEqualTo("second");
    assertThat(d.ids()).containsExactly("semi.csv:2", "semi.csv:4");
  }

  @Test
  void textCsvServesTextInputs() throws IOException {
    Path file = write("reviews.csv", "text,label,lang\nGood stuff,pos,en\nMauvais,neg,fr\n");
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").text("text")
        .metadata("lang").build());
    assertThat(d.spec().inputKind()).isEqualTo(InputKind.TEXT);
    assertThat(d.classes()).containsExactly("neg", "pos");
    Example e = d.get(1);
    assertThat(e.input()).isEqualTo(new TextInput("Mauvais"));
    assertThat(e.label()).isEqualTo(0);
    assertThat(e.metadata()).isEqualTo(Map.of("lang", "fr"));
    assertThat(e.id()).isEqualTo("reviews.csv:3");
    Batch b = d.batches(2).iterator().next();
    assertThat(b.texts()).containsExactly("Good stuff", "Mauvais");
  }

  @Test
  void explicitClassesFixTheOrder() throws IOException {
    Path file = write("pets.csv", "f1,f2,label\n1,2,cat\n3,4,dog\n5,6, cat \n");
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").features("f1", "f2")
        .classes(List.of("dog", "cat", "bird")).build());
    assertThat(d.classes()).containsExactly("dog", "cat", "bird");
    assertThat(d.labels()).containsExactly(1, 0, 1);
    assertThat(d.classCounts()).containsExactly(1, 2, 0);
  }

  // ------------------------------------------------------------------ JSONL

  @Test
  void jsonlLoadsTextAndMetadata() throws IOException {
    Path file = write("reviews.jsonl", """
        {"review": "great product", "label": "pos", "city": "Oslo", "stars": 5}

        {"review": "broke \\"sadly\\"\\n", "label": "neg", "city": null, "stars": 1.0}
          {"stars": true, "label": "pos", "review": "caf\\u00e9", "city": "Rome"}\r
        """);
    Dataset d = Tables.jsonl(file, TableOptions.builder().label("label").text("review")
        .metadata("city", "stars").build());
    assertThat(d.name()).isEqualTo("reviews");
    assertThat(d.spec()).isEqualTo(DatasetSpec.text(List.of("neg", "pos")));
    assertThat(d.labels()).containsExactly(1, 0, 1);
    assertThat(text(d, 0)).isEqualTo("great product");
    assertThat(text(d, 1)).isEqualTo("broke \"sadly\"\n");
    assertThat(text(d, 2)).isEqualTo("café");
    assertThat(d.metadata(0)).containsExactly(Map.entry("city", "Oslo"), Map.entry("stars", "5"));
    assertThat(d.metadata(1)).containsExactly(Map.entry("city", ""), Map.entry("stars", "1.0"));
    assertThat(d.metadata(2)).containsExactly(Map.entry("city", "Rome"),
        Map.entry("stars", "true"));
    assertThat(d.ids()).containsExactly("reviews.jsonl:1", "reviews.jsonl:3", "reviews.jsonl:4");
    assertThat(d.origin()).isEqualTo("JSONL " + file.toAbsolutePath() + " (3 rows)");
  }

  @Test
  void jsonlFlattensArrayFeatures() throws IOException {
    Path file = write("emb.jsonl", """
        {"key": "a", "emb": [1, 2.5, -3e-1], "x": 0.5, "label": 1}
        {"key": "b", "emb": [4, 5, 6], "x": -1, "label": 2}
        """);
    Dataset d = Tables.jsonl(file, TableOptions.builder().label("label").id("key")
        .allOtherColumnsAsFeatures().build());
    assertThat(d.spec()).isEqualTo(DatasetSpec.features(4, List.of("1", "2")));
    assertThat(features(d, 0)).containsExactly(1f, 2.5f, -0.3f, 0.5f);
    assertThat(features(d, 1)).containsExactly(4f, 5f, 6f, -1f);
    assertThat(d.ids()).containsExactly("a", "b");
    assertThat(d.labels()).containsExactly(0, 1);
    assertThat(d.batches(2).iterator().next().inputs())
        .containsExactly(1f, 2.5f, -0.3f, 0.5f, 4f, 5f, 6f, -1f);
    Path extra = write("extra.jsonl", "{\"x\": 1, \"label\": \"a\"}\n"
        + "{\"x\": 2, \"z\": 3, \"label\": \"a\"}\n");
    assertThat(fails(DataFormatException.class, () -> Tables.jsonl(extra, TableOptions.builder()
        .label("label").allOtherColumnsAsFeatures().build()), "extra.jsonl", 2).getMessage())
        .contains("key 'z'", "not in the first object (line 1)");
  }

  @Test
  void jsonlNumericLabelsNameTheClassOfTheirIntegerValue() throws IOException {
    // one writer stored labels as ints, another as floats: still two classes, not four
    Path file = write("mixed.jsonl", """
        {"x": 1, "label": 1}
        {"x": 2, "label": 1.0}
        {"x": 3, "label": 0}
        {"x": 4, "label": 0.0}
        {"x": 5, "label": 1e0}
        {"x": 6, "label": -0.0}
        {"x": 7, "label": 10.00}
        """);
    Dataset d = Tables.jsonl(file, TableOptions.builder().label("label").features("x").build());
    assertThat(d.spec().classes()).containsExactly("0", "1", "10");
    assertThat(d.labels()).containsExactly(1, 1, 0, 0, 1, 0, 2);
    // an explicit class list matches them too
    Dataset listed = Tables.jsonl(file, TableOptions.builder().label("label").features("x")
        .classes(List.of("1", "0", "10")).build());
    assertThat(listed.labels()).containsExactly(0, 0, 1, 1, 0, 1, 2);
    Path floats = write("floats.jsonl", "{\"x\": 1, \"label\": 1.0}\n{\"x\": 2, \"label\": 0.0}\n");
    assertThat(Tables.jsonl(floats, TableOptions.builder().label("label").features("x")
        .classes(List.of("0.0", "1.0")).build()).labels()).containsExactly(1, 0);

    Path half = write("half.jsonl", "{\"x\": 1, \"label\": 1}\n{\"x\": 2, \"label\": 1.5}\n");
    assertThat(fails(LabelException.class, () -> Tables.jsonl(half, TableOptions.builder()
        .label("label").features("x").build()), "half.jsonl", 2).getMessage())
        .contains("label 1.5 is a number that is not a whole number, so it names no class at "
            + "line 2", "write class labels as whole numbers (1 or 1.0) or as strings");
    Path huge = write("huge.jsonl", "{\"x\": 1, \"label\": 1e999999999999}\n");
    assertThat(fails(LabelException.class, () -> Tables.jsonl(huge, TableOptions.builder()
        .label("label").features("x").build()), "huge.jsonl", 1).getMessage())
        .contains("label 1e999999999999 is a number that is out of range");
    // a string stays the name written: "1.0" is its own class
    Path strings = write("strings.jsonl", "{\"x\": 1, \"label\": \"1.0\"}\n"
        + "{\"x\": 2, \"label\": 1}\n");
    assertThat(Tables.jsonl(strings, TableOptions.builder().label("label").features("x").build())
        .spec().classes()).containsExactly("1", "1.0");
    // skipped and listed when asked
    Dataset skipped = Tables.jsonl(half, TableOptions.builder().label("label").features("x")
        .skipBadRecords(true).build());
    assertThat(skipped.size()).isEqualTo(1);
    assertThat(skipped.loadReport().problems()).singleElement().asString()
        .startsWith("half.jsonl: label 1.5 is a number that is not a whole number");
  }

  @Test
  void jsonlNamedFeaturesFollowTheGivenOrder() throws IOException {
    Path file = write("n.jsonl", "{\"b\": 2, \"a\": [1, 1.5], \"y\": \"k\", \"extra\": \"x\"}\n");
    Dataset d = Tables.jsonl(file, TableOptions.builder().label("y").features("b", "a").build());
    assertThat(features(d, 0)).containsExactly(2f, 1f, 1.5f);
  }

  // ------------------------------------------------------------------ skipping

  @Test
  void skipBadRecordsKeepsGoodRowsAndReportsBadOnes() throws IOException {
    Path file = write("mixed.csv", """
        f1,f2,label
        1,2,a
        x,2,a
        3,4
        5,6,
        7,8,b
        """);
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").features("f1", "f2")
        .skipBadRecords(true).build());
    assertThat(d.ids()).containsExactly("mixed.csv:2", "mixed.csv:6");
    assertThat(features(d, 1)).containsExactly(7f, 8f);
    LoadReport r = d.loadReport();
    assertThat(r.loaded()).isEqualTo(2);
    assertThat(r.skipped()).isEqualTo(3);
    assertThat(r.problems()).hasSize(3);
    assertThat(r.problems().get(0)).contains("mixed.csv", "line 3", "'f1'", "'x'");
    assertThat(r.problems().get(1)).contains("mixed.csv", "line 4", "'label'");
    assertThat(r.problems().get(2)).contains("mixed.csv", "line 5", "empty label");
  }

  @Test
  void skipBadRecordsInJsonlCountsLabelAndFormatProblems() throws IOException {
    Path file = write("s.jsonl", """
        {"t": "fine", "label": "a"}
        {"t": "fine", "label": "zebra"}
        [1, 2]
        {"t": "", "label": "a"}
        {"t": "also fine", "label": "b"
        {"t": "last", "label": "b"}
        """);
    Dataset d = Tables.jsonl(file, TableOptions.builder().label("label").text("t")
        .classes(List.of("a", "b")).skipBadRecords(true).build());
    assertThat(d.ids()).containsExactly("s.jsonl:1", "s.jsonl:6");
    assertThat(d.loadReport().skipped()).isEqualTo(4);
    assertThat(String.join("\n", d.loadReport().problems())).contains("line 2", "zebra",
        "line 3", "expected a JSON object", "line 4", "empty text", "line 5", "malformed JSON");
  }

  @Test
  void allRowsBadWhenSkippingIsAnEmptyDataset() throws IOException {
    Path file = write("allbad.csv", "f1,f2,label\nx,1,a\n1,y,a\n");
    Throwable t = catchThrowable(() -> Tables.csv(file, TableOptions.builder().label("label")
        .features("f1", "f2").skipBadRecords(true).build()));
    assertThat(t).isExactlyInstanceOf(EmptyDatasetException.class)
        .hasMessageContaining("allbad.csv").hasMessageContaining("all 2 rows are bad")
        .hasMessageContaining("line 2");
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void missingFileIsDataNotFound() {
    Path file = dir.resolve("nope.csv");
    Throwable t = catchThrowable(() -> Tables.csv(file, FEATURES));
    assertThat(t).isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("does not exist");
    assertThat(((DataException) t).source()).hasValue(file.toAbsolutePath().toString());
    assertThat(((DataException) t).record()).isEmpty();
    assertThat(catchThrowable(() -> Tables.jsonl(dir, TEXT)))
        .isExactlyInstanceOf(DataNotFoundException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  void headerWithoutANamedColumnListsTheColumnsEvenWhenSkipping() throws IOException {
    Path file = write("h.csv", "f1,feature2,label\n1,2,a\n");
    TableOptions opts = TableOptions.builder().label("label").features("f1", "f2")
        .skipBadRecords(true).build();
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, opts),
        "h.csv", 1);
    assertThat(e.getMessage()).contains("'f2'", "[f1, feature2, label]");
  }

  @Test
  void duplicateUsedHeaderColumnIsFatal() throws IOException {
    Path file = write("dup.csv", "f1,f2,f1,label\n1,2,3,a\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, FEATURES),
        "dup.csv", 1);
    assertThat(e.getMessage()).contains("'f1'", "more than once");
  }

  @Test
  void rowWithTooFewFieldsNamesTheMissingColumn() throws IOException {
    Path file = write("few.csv", "f1,f2,label\n1,2,a\n3,4\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, FEATURES),
        "few.csv", 3);
    assertThat(e.getMessage()).contains("missing column 'label'", "2 of 3 fields");
  }

  @Test
  void rowWithTooManyFieldsSuggestsQuoting() throws IOException {
    Path file = write("many.csv", "f1,f2,label\n1,2,a\n\n3,4,a,b\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, FEATURES),
        "many.csv", 4);
    assertThat(e.getMessage()).contains("4 fields", "header has 3 columns", "quote");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "NaN", "Infinity", "-inf", "1e60", "0x10", "1.5f", ""})
  void nonFiniteOrNonNumericFeatureIsAFormatError(String value) throws IOException {
    Path file = write("num.csv", "f1,f2,label\n1,2,a\n3," + value + ",b\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, FEATURES),
        "num.csv", 3);
    assertThat(e.getMessage()).contains("column 'f2'", "skipBadRecords(true)");
  }

  @Test
  void emptyLabelIsAFormatError() throws IOException {
    Path file = write("nolabel.csv", "f1,f2,label\n1,2,a\n3,4,  \n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, FEATURES),
        "nolabel.csv", 3);
    assertThat(e.getMessage()).contains("empty label", "column 'label'");
  }

  @Test
  void labelOutsideExplicitClassesIsALabelException() throws IOException {
    Path file = write("cls.csv", "f1,f2,label\n1,2,cat\n3,4,cow\n");
    LabelException e = fails(LabelException.class, () -> Tables.csv(file, TableOptions.builder()
        .label("label").features("f1", "f2").classes(List.of("cat", "dog")).build()),
        "cls.csv", 3);
    assertThat(e.getMessage()).contains("'cow'", "[cat, dog]");
  }

  @Test
  void unterminatedQuoteIsFatalEvenWhenSkipping() throws IOException {
    Path file = write("open.csv", "text,label\nfine,a\n\"never closed,a\nmore,b\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file,
        TableOptions.builder().label("label").text("text").skipBadRecords(true).build()),
        "open.csv", 3);
    assertThat(e.getMessage()).contains("never closed", "column 'text'");
  }

  @Test
  void textAfterClosingQuoteIsAFormatError() throws IOException {
    Path file = write("stray.csv", "text,label\n\"ab\"cd,a\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, TEXT),
        "stray.csv", 2);
    assertThat(e.getMessage()).contains("after a closing quote", "column 'text'");
  }

  @Test
  void emptyTextIsAFormatError() throws IOException {
    Path file = write("blank.csv", "text,label\nok,a\n\"  \",b\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file, TEXT),
        "blank.csv", 3);
    assertThat(e.getMessage()).contains("empty text at line 3");
  }

  @Test
  void duplicateIdIsAFormatErrorNamingBothLines() throws IOException {
    Path file = write("ids.csv", "id,text,label\nk1,x,a\nk2,y,a\nk1,z,b\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.csv(file,
        TableOptions.builder().label("label").text("text").id("id").build()), "ids.csv", 4);
    assertThat(e.getMessage()).contains("'k1'", "already used at line 2");
  }

  @Test
  void invalidUtf8NamesTheLine() throws IOException {
    Path file = dir.resolve("latin.csv");
    Files.write(file, new byte[] {'t', ',', 'l', '\n', 'o', 'k', ',', 'a', '\n', 'c', 'a', 'f',
        (byte) 0xE9, ',', 'a', '\n'});
    fails(DataFormatException.class, () -> Tables.csv(file,
        TableOptions.builder().label("l").text("t").build()), "latin.csv", 3);
  }

  @Test
  void malformedJsonGivesTheCharacterPosition() throws IOException {
    Path file = write("bad.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\" \"b\"}\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.jsonl(file, TEXT),
        "bad.jsonl", 2);
    assertThat(e.getMessage()).contains("malformed JSON", "character 9", "':'");
  }

  @Test
  void jsonLineThatIsNotAnObjectIsAFormatError() throws IOException {
    Path file = write("arr.jsonl", "\n\"just a string\"\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.jsonl(file, TEXT),
        "arr.jsonl", 2);
    assertThat(e.getMessage()).contains("expected a JSON object, found a string");
  }

  @Test
  void jsonMissingKeyAndWrongTypesAreFormatErrors() throws IOException {
    Path missing = write("miss.jsonl", "{\"text\": \"a\"}\n");
    assertThat(fails(DataFormatException.class, () -> Tables.jsonl(missing, TEXT), "miss.jsonl",
        1).getMessage()).contains("missing key 'label'");
    Path number = write("type.jsonl", "{\"text\": 5, \"label\": \"a\"}\n");
    assertThat(fails(DataFormatException.class, () -> Tables.jsonl(number, TEXT), "type.jsonl",
        1).getMessage()).contains("key 'text'", "expected a string, found a number");
    Path str = write("strfeat.jsonl", "{\"f1\": 1, \"f2\": \"2\", \"label\": \"a\"}\n");
    assertThat(fails(DataFormatException.class, () -> Tables.jsonl(str, FEATURES),
        "strfeat.jsonl", 1).getMessage()).contains("key 'f2'", "found a string");
  }

  @Test
  void jsonArrayOfAnotherLengthIsAFormatError() throws IOException {
    Path file = write("len.jsonl", "{\"v\": [1, 2], \"label\": \"a\"}\n"
        + "{\"v\": [1, 2, 3], \"label\": \"a\"}\n");
    DataFormatException e = fails(DataFormatException.class, () -> Tables.jsonl(file,
        TableOptions.builder().label("label").features("v").build()), "len.jsonl", 2);
    assertThat(e.getMessage()).contains("key 'v'", "3 values where line 1 has 2");
  }

  @Test
  void jsonNonFiniteFeatureIsAFormatError() throws IOException {
    Path file = write("big.jsonl", "{\"f1\": 1e999, \"f2\": 0, \"label\": \"a\"}\n");
    assertThat(fails(DataFormatException.class, () -> Tables.jsonl(file, FEATURES), "big.jsonl", 1)
        .getMessage()).contains("outside the float range");
  }

  @Test
  void noDataRowsIsAnEmptyDataset() throws IOException {
    Path header = write("header.csv", "f1,f2,label\n");
    assertThat(catchThrowable(() -> Tables.csv(header, FEATURES)))
        .isExactlyInstanceOf(EmptyDatasetException.class)
        .hasMessageContaining("header.csv").hasMessageContaining("no data rows");
    Path empty = write("empty.csv", "");
    assertThat(catchThrowable(() -> Tables.csv(empty, FEATURES)))
        .isExactlyInstanceOf(EmptyDatasetException.class).hasMessageContaining("empty.csv");
    Path blank = write("blank.jsonl", "\n  \n");
    assertThat(catchThrowable(() -> Tables.jsonl(blank, TEXT)))
        .isExactlyInstanceOf(EmptyDatasetException.class).hasMessageContaining("blank.jsonl");
  }

  // ------------------------------------------------------------------ options

  @Test
  void optionsAreValidatedNamingTheParameter() {
    assertThatThrownBy(() -> TableOptions.builder().features("a").build())
        .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("label:");
    assertThatThrownBy(() -> TableOptions.builder().label("y").build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("features/text")
        .hasMessageContaining("none");
    assertThatThrownBy(() -> TableOptions.builder().label("y").features("a").text("t").build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("several");
    assertThatThrownBy(() -> TableOptions.builder().label("y").features("a", "y").build())
        .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("features:");
    assertThatThrownBy(() -> TableOptions.builder().label("y").features("a", "a").build())
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("given twice");
    assertThatThrownBy(() -> TableOptions.builder().label("y").text("t").id("t").build())
        .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("id:");
    assertThatThrownBy(() -> TableOptions.builder().label("y").text("t").classes(List.of())
        .build()).isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("classes:");
    assertThatThrownBy(() -> TableOptions.builder().label("y").text("t").delimiter('"').build())
        .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("delimiter:");
    TableOptions ok = TableOptions.builder().label("y").allOtherColumnsAsFeatures()
        .metadata("m").delimiter('\t').build();
    assertThat(ok.allOtherColumnsAsFeatures()).isTrue();
    assertThat(ok.features()).isEmpty();
    assertThat(ok.text()).isEmpty();
    assertThat(ok.delimiter()).isEqualTo('\t');
  }

  @Test
  void fifoIsRefusedWithoutBlocking() {
    Path fifo = HostileFiles.fifo(dir.resolve("rows.csv"));
    String path = fifo.toAbsolutePath().toString();
    for (ThrowingCallable load : List.<ThrowingCallable>of(() -> Tables.csv(fifo, FEATURES),
        () -> Tables.jsonl(fifo, TEXT))) {
      Throwable t = HostileFiles.failsQuickly(load);
      assertThat(t).isExactlyInstanceOf(DataNotFoundException.class)
          .hasMessageContaining(path).hasMessageContaining("is a FIFO, socket or device")
          .hasMessageContaining("copy the data to a file");
      assertThat(((DataException) t).source()).hasValue(path);
    }
  }

  @Test
  void explicitClassWithoutRowsIsWarned() throws IOException {
    Path file = write("few.csv", "f1,f2,label\n1,2,a\n3,4,a\n");
    Dataset d = Tables.csv(file, TableOptions.builder().label("label").features("f1", "f2")
        .classes(List.of("a", "b")).build());
    assertThat(d.classCounts()).containsExactly(2, 0);
    assertThat(d.loadReport().warnings()).containsExactly(
        "class 'b' has no examples: the class list names it, but no row of few.csv has this label");
    assertThat(d.summary().toString()).contains("warning: class 'b' has no examples");
    assertThat(Tables.csv(file, FEATURES).loadReport()).isEqualTo(LoadReport.clean(2));
  }
}
