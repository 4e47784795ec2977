package dev.groundwork.core.compare;

/** A known task that Groundwork supports, the unit the approach catalog is organised by. */
public enum Task {
  /** One label per image. */
  IMAGE_CLASSIFICATION,
  /** One label per text. */
  TEXT_CLASSIFICATION,
  /** Boxes with a class and a score per image. */
  OBJECT_DETECTION,
  /** Joint positions per instance (e.g. human pose). */
  KEYPOINTS
}
