package dev.groundwork.core.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a measurement ran on: cores, CPU model, JVM, OS and the load average when asked.
 * Runtime profiles and benchmark result files record it beside their figures.
 *
 * @param cores available processors
 * @param cpu the CPU model name ({@code unknown CPU} where {@code /proc/cpuinfo} is absent)
 * @param java the JVM's version
 * @param os operating system name and architecture
 * @param loadAverage the one-minute system load average, or a negative value if unavailable
 */
public record Machine(int cores, String cpu, String java, String os, double loadAverage) {

  /** The machine this JVM runs on, now. */
  public static Machine current() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the model stays unknown
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), cpu,
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** {@code 2 cores · Intel(R) Xeon(R) … · Java 17.0.15 · Linux amd64}. */
  @Override
  public String toString() {
    return cores + " cores · " + cpu + " · Java " + java + " · " + os;
  }
}
