package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.groundwork.examples.results.DocFigures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's JShell route, run as a user runs it: {@code jshell --class-path ...
 * examples/jshell/quickstart.jsh} ends by itself, prints the overfit check and the LR finder, and
 * shows no engine noise (DJL's INFO lines, the CPU-only "Failed to detect GPU count" warning).
 */
class JShellQuickstartTest {

  @Test
  void theScriptEndsByItselfAndPrintsTheLoopWithoutEngineNoise(@TempDir Path dir)
      throws Exception {
    Path script = DocFigures.repositoryRoot(Path.of("")).resolve("examples/jshell/quickstart.jsh");
    assertThat(script).exists();
    // surefire puts the module's test class path here (java.class.path may be a manifest-only jar)
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    Path out = dir.resolve("quickstart.out");
    Process p = new ProcessBuilder(List.of(jshell.toString(), "--class-path", classPath,
        "-R-Dai.djl.offline=true", "-R-DOPT_OUT_TRACKING=true", "-R-Xmx1g",
        // JShell's own first-run notice about its preferences directory is not ours either
        "-J-Djava.util.prefs.userRoot=" + dir.resolve("jshell-prefs"),
        script.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close(); // a script waiting for input would now read end of input
    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(ended).as("jshell ended by itself; output:%n%s", text).isTrue();
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("OverfitCheck  PASS  100/100 fit").contains("LrFinder  suggestion")
        .doesNotContain("INFO ai.djl").doesNotContain("Failed to detect GPU count")
        .doesNotContain("jshell>").doesNotContain("Exception");
  }
}
