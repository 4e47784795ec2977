package dev.groundwork.core.compare;

import java.util.List;
import java.util.Optional;

/**
 * The approach catalog: for each task Groundwork supports, a few well-known approaches summarised
 * in the project's own words (step 1 of the loop, the literature survey).
 *
 * <p>{@code ApproachCatalog.forTask(Task.IMAGE_CLASSIFICATION)} lists the image classifiers;
 * {@code ApproachCatalog.find("resnet-18")} finds one by id.
 */
public final class ApproachCatalog {

  private static final List<Approach> ALL = List.of();

  private ApproachCatalog() {}

  /** Every approach in the catalog. */
  public static List<Approach> all() {
    return ALL;
  }

  /** The approaches for one task, in the catalog's order. */
  public static List<Approach> forTask(Task task) {
    return ALL.stream().filter(a -> a.task() == task).toList();
  }

  /** The approach with this id, if the catalog has it. */
  public static Optional<Approach> find(String id) {
    return ALL.stream().filter(a -> a.id().equals(id)).findFirst();
  }
}
