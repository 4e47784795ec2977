package dev.groundwork.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark: one local[2] session per JVM, no UI, few shuffle partitions. */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession session() {
    return SparkSession.builder().master("local[2]").appName("groundwork-spark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }
}
