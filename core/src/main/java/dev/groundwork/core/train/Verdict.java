package dev.groundwork.core.train;

/** The outcome of a check: it passed, passed with something to look at, or failed. */
public enum Verdict {
  /** The target was reached and nothing looks wrong. */
  PASS,
  /** The target was (nearly) reached, but something deserves a look. */
  WARN,
  /** The pipeline cannot learn as set up; the report names the cause. */
  FAIL
}
