package dev.groundwork.examples.tools;

import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.Slice;
import dev.groundwork.core.analysis.SliceOptions;
import dev.groundwork.core.analysis.SlicePlants;
import dev.groundwork.core.analysis.SliceReport;
import dev.groundwork.examples.results.Results;
import java.util.Set;

/**
 * The slice search on planted defects in real images, as docs/analysis.md quotes it: the three
 * reports (contrast plant, no plant, conjunction plant) and the top slices' precision and recall
 * against the planted images, written to {@code docs/results/slice-study.json}. The data, model
 * and plants are core's test fixture {@code SlicePlants}, the ones {@code SliceFashionTest}
 * asserts; the search is up to 3-way with seed 42. Runs in a few seconds:
 *
 * <pre>
 * mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.groundwork.examples.tools.SliceStudy \
 *     -Dgroundwork.results=$PWD/docs/results
 * </pre>
 */
public final class SliceStudy {

  private SliceStudy() {}

  /** Runs the three searches, prints them and writes the results file. */
  public static void main(String[] args) {
    SlicePlants f = SlicePlants.get();
    Results results = Results.start("slice-study", args)
        .version("dataset", "fashion-mnist-subset, 2,000 train + 1,000 test images")
        .note("model", "nearest class centroid on raw pixels, rows shuffled within each class "
            + "(seed 11), plants at rate " + SlicePlants.PLANT_RATE)
        .note("search", "SliceReport.find, maxOrder 3, seed 42");

    Set<Integer> contrast = f.plantRegion();
    ClassificationPredictions p = f.predictions(contrast, 11);
    SliceReport r = search(p);
    Slice top = r.top(1).get(0);
    plant(results, "contrast", f, contrast, top, p);
    Slice rawFirst = r.byRawEvidence().get(0);
    results.note("contrast_report", r.toString())
        .note("contrast_raw_first", rawFirst.description())
        .note("contrast_raw_first_raw_q", sci(rawFirst.confirmation().rawQValue()))
        .put("contrast_candidates", r.candidates(), "")
        .put("contrast_beyond_class_mix", r.beyondClassMix().size(), "");

    ClassificationPredictions none = f.predictions(Set.of(), 11);
    SliceReport r0 = search(none);
    results.note("no_plant_report", r0.toString())
        .put("no_plant_beyond_class_mix", r0.beyondClassMix().size(), "")
        .put("no_plant_explained_by_class_mix", r0.explainedByClassMix().size(), "");

    Set<Integer> conjunction = f.conjunctionPlant();
    ClassificationPredictions pc = f.predictions(conjunction, 11);
    SliceReport rc = search(pc);
    plant(results, "conjunction", f, conjunction, rc.top(1).get(0), pc);
    results.write();
  }

  private static SliceReport search(ClassificationPredictions p) {
    SliceReport r = SliceReport.find(p, SliceOptions.builder().maxOrder(3).build(), 42);
    System.out.println(r);
    return r;
  }

  private static void plant(Results results, String name, SlicePlants f, Set<Integer> plant,
      Slice top, ClassificationPredictions p) {
    Set<Integer> members = SlicePlants.members(top, p);
    long hit = members.stream().filter(plant::contains).count();
    double precision = (double) hit / members.size();
    double recall = (double) hit / plant.size();
    System.out.printf("%s plant: %d images, top slice %s: %d members, %d planted, precision "
        + "%.3f recall %.3f%n", name, plant.size(), top.description(), members.size(), hit,
        precision, recall);
    results.put(name + "_plant_images", plant.size(), "")
        .put(name + "_plant_pct", 100.0 * plant.size() / f.n(), "%")
        .note(name + "_top_slice", top.description())
        .put(name + "_top_members", members.size(), "")
        .put(name + "_top_planted", hit, "")
        .put(name + "_precision", precision, "")
        .put(name + "_recall", recall, "")
        .note(name + "_top_adjusted_q", sci(top.confirmation().adjustedQValue()));
  }

  private static String sci(double q) {
    return String.format(java.util.Locale.ROOT, "%.1e", q);
  }
}
