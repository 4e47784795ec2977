package dev.groundwork.core.compare;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One well-known approach to a task, as the approach catalog summarises it: the idea, the quality
 * its authors reported with the source, its size and cost, and which Groundwork builder implements
 * it.
 *
 * @param id stable identifier, e.g. {@code resnet}; candidates in a scorecard refer to it
 * @param task the task it solves
 * @param name display name
 * @param idea the core idea in a few sentences
 * @param reported the quality reported on the approach's benchmark, with its source
 * @param parameters parameter count as reported (e.g. {@code 11.7M}), or empty if not applicable
 * @param cost compute cost as reported (e.g. {@code 1.8 GFLOPs at 224×224})
 * @param goodAt what it is good at
 * @param badAt what it is bad at
 * @param difficulty how hard it is to implement and debug
 * @param implementedBy the Groundwork builder or adapter that implements it, or empty if none yet
 */
public record Approach(
    String id,
    Task task,
    String name,
    String idea,
    List<ReportedFigure> reported,
    Optional<String> parameters,
    String cost,
    String goodAt,
    String badAt,
    Difficulty difficulty,
    Optional<String> implementedBy) {

  /** Checks the fields and copies the list. */
  public Approach {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(idea, "idea");
    reported = List.copyOf(reported);
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(goodAt, "goodAt");
    Objects.requireNonNull(badAt, "badAt");
    Objects.requireNonNull(difficulty, "difficulty");
    Objects.requireNonNull(implementedBy, "implementedBy");
  }

  /** How hard an approach is to implement and debug. */
  public enum Difficulty {
    /** A few lines on a standard library; little to go wrong. */
    LOW,
    /** Standard layers and a standard loop, with a few known pitfalls. */
    MEDIUM,
    /** Many interacting parts (anchors, matching, schedules); hard to debug. */
    HIGH
  }

  /**
   * A figure an approach's authors (or a named benchmark) reported.
   *
   * @param metric what was measured, e.g. {@code ImageNet top-1 accuracy}
   * @param value the value in the metric's usual unit, e.g. {@code 69.8} (percent)
   * @param unit the unit, e.g. {@code %} or {@code AP}
   * @param benchmark the dataset and split, e.g. {@code ImageNet-1k val}
   * @param source where the figure was published (paper, table), citable
   */
  public record ReportedFigure(
      String metric, double value, String unit, String benchmark, String source) {
    /** Checks the fields. */
    public ReportedFigure {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(benchmark, "benchmark");
      Objects.requireNonNull(source, "source");
    }
  }
}
