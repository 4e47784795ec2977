package dev.groundwork.core.data;

import java.util.Objects;

/**
 * A content fingerprint of a dataset: SHA-256 over every example's id, label and input, in order.
 *
 * <p>Two datasets with the same fingerprint hold the same examples in the same order; results
 * record it so a run can be tied to the exact data it saw.
 *
 * @param sha256 the hex digest
 * @param size the number of examples hashed
 */
public record Fingerprint(String sha256, int size) {

  /** Checks the digest. */
  public Fingerprint {
    Objects.requireNonNull(sha256, "sha256");
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
    }
  }

  /** The first 12 hex digits, enough to tell datasets apart in a table. */
  public String shortHex() {
    return sha256.substring(0, 12);
  }

  @Override
  public String toString() {
    return "sha256:" + shortHex() + " (n=" + size + ")";
  }
}
