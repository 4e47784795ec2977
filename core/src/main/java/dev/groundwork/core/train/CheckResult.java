package dev.groundwork.core.train;

import java.util.Objects;

/**
 * One check behind a verdict: its name, its status and what it found, in a line.
 *
 * @param name e.g. {@code loss at init}
 * @param status OK, WARN, FAIL or SKIPPED
 * @param detail what was found, with the numbers
 */
public record CheckResult(String name, Status status, String detail) {

  /** How a single check came out. */
  public enum Status {
    /** Nothing wrong. */
    OK,
    /** Worth a look. */
    WARN,
    /** Wrong. */
    FAIL,
    /** Not run (an earlier failure made it pointless, or it was switched off). */
    SKIPPED
  }

  /** Checks the fields. */
  public CheckResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** The same check with another detail. */
  public CheckResult withDetail(String newDetail) {
    return new CheckResult(name, status, newDetail);
  }

  static CheckResult ok(String name, String detail) {
    return new CheckResult(name, Status.OK, detail);
  }

  static CheckResult warn(String name, String detail) {
    return new CheckResult(name, Status.WARN, detail);
  }

  static CheckResult fail(String name, String detail) {
    return new CheckResult(name, Status.FAIL, detail);
  }

  static CheckResult skipped(String name, String detail) {
    return new CheckResult(name, Status.SKIPPED, detail);
  }

  /** One line: {@code name  STATUS  detail}. */
  @Override
  public String toString() {
    return name + "  " + status + (detail.isEmpty() ? "" : "  " + detail);
  }
}
