package dev.groundwork.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.groundwork.core.analysis.ClassificationAnalysis;
import dev.groundwork.core.analysis.ClassificationOptions;
import dev.groundwork.core.analysis.ClassificationPredictions;
import dev.groundwork.core.analysis.FailureAnalysis;
import dev.groundwork.core.data.Datasets;
import dev.groundwork.core.data.Split;
import dev.groundwork.core.look.Look;
import dev.groundwork.core.model.ClassProbabilities;
import dev.groundwork.core.model.TrainConfig;
import dev.groundwork.core.model.TrainableModel;
import dev.groundwork.core.report.Report;
import dev.groundwork.core.report.Sections;
import dev.groundwork.core.runtime.RuntimeBudget;
import dev.groundwork.core.runtime.RuntimeProfile;
import dev.groundwork.core.train.Fit;
import dev.groundwork.core.train.FitResult;
import dev.groundwork.core.train.LrFinder;
import dev.groundwork.core.train.OverfitCheck;
import dev.groundwork.djl.DjlModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The combined HTML report as a user sees it: a real (small) run's report opened in headless
 * Chromium, through chromedriver (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs). It checks that the page renders (a screenshot that is not blank), that
 * the browser logs no error, that every picture loaded, and that the key figures are in the DOM:
 * the accuracy, the 100 confusion cells summing to the 1,000 test images, the links of the
 * contents. Without chromium the test fails under CI ({@code CI=true}) and is skipped elsewhere.
 */
class ReportInBrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void theWorkflowReportRendersInChromium(@TempDir Path dir) throws Exception {
    requireChromium();
    Split data = Datasets.fashionMnistSubset();
    Split split = data.train().split(0.8, 42);
    Report.Builder report = Report.builder("Report in the browser <check> & \"escape\"");
    ClassificationAnalysis analysis;
    try (TrainableModel mlp = DjlModels.mlp(data.spec())) {
      // small on purpose: the test checks the page, not the check (3 examples per class)
      report.section(OverfitCheck.of(mlp).on(split.train().stratifiedSample(30, 42))
          .baseline(false).maxSteps(200).run());
      report.section(LrFinder.of(mlp).on(split.train().stratifiedSample(400, 42)).steps(30)
          .run());
    }
    try (TrainableModel mlp = DjlModels.mlp(data.spec(),
        TrainConfig.builder().batchSize(64).seed(42).build())) {
      FitResult fit = Fit.of(mlp).on(split.train()).validation(split.test()).epochs(2).run();
      report.provenance(fit.provenance()).section(fit);
      ClassProbabilities probs = mlp.predict(data.test(), 256);
      analysis = FailureAnalysis.classification(
          ClassificationPredictions.fromDataset(data.test(), probs.values()))
          .options(ClassificationOptions.builder().seed(42).build()).run();
      report.section(Sections.gallery(Look.at(data.test(), probs).confidentMistakes(8)))
          .section(Sections.gallery(Look.at(data.test(), probs).unsureCorrect(8)))
          .section(analysis)
          .section(RuntimeProfile.of(mlp).on(data.test().stratifiedSample(100, 1)).calls(100)
              .batchSizes(1, 8).budget(RuntimeBudget.none().p99AtBatch1(50)).run());
    }
    Path page = report.build().writeHtml(dir.resolve("index.html"));
    String accuracy = String.format(Locale.ROOT, "%.1f%%", 100 * analysis.metrics().accuracy());

    ChromeDriver browser = open(dir);
    try {
      browser.get(page.toUri().toString());
      // the page rendered: a screenshot with ink on it, not a blank page
      byte[] png = browser.getScreenshotAs(OutputType.BYTES);
      BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
      assertThat(shot.getWidth()).isGreaterThan(500);
      assertThat(inkShare(shot)).as("share of non-white pixels").isGreaterThan(0.02);
      assertThat(colours(shot)).as("distinct colours").isGreaterThan(20);
      // no console error, no failed resource
      List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
      assertThat(errors).as("browser log").isEmpty();
      // every picture loaded (the two galleries are PNG data: URIs)
      List<WebElement> images = browser.findElements(By.tagName("img"));
      assertThat(images).hasSize(2);
      for (WebElement img : images) {
        Object width = browser.executeScript(
            "return arguments[0].complete ? arguments[0].naturalWidth : 0;", img);
        assertThat(((Number) width).intValue()).as("naturalWidth of %s",
            img.getAttribute("alt")).isPositive();
      }
      // the key figures, as the browser sees them
      assertThat(browser.getTitle()).isEqualTo("Report in the browser <check> & \"escape\"");
      assertThat(browser.findElement(By.cssSelector(
          "#failure-analysis .figure[data-label='accuracy'] .value")).getText())
          .isEqualTo(accuracy);
      List<WebElement> cells = browser.findElements(By.cssSelector("rect.cell"));
      assertThat(cells).hasSize(100);
      long total = cells.stream().mapToLong(c -> Long.parseLong(c.getAttribute("data-count")))
          .sum();
      assertThat(total).isEqualTo(1000);
      assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSizeGreaterThan(6)
          .allSatisfy(svg -> assertThat(svg.getSize().getHeight()).isPositive());
      // every link of the contents leads to a section of the page
      List<WebElement> links = browser.findElements(By.cssSelector("nav#contents a"));
      assertThat(links).hasSize(7);
      for (WebElement a : links) {
        String target = a.getAttribute("hash");
        assertThat(browser.findElements(By.cssSelector(target))).as(target).hasSize(1);
      }
      assertThat(browser.findElement(By.cssSelector("#provenance")).getText())
          .contains("dataset fingerprint").contains("sha256:");
      assertThat(browser.findElement(By.cssSelector("#lr-finder")).getText())
          .contains("suggested learning rate");
    } finally {
      browser.quit();
    }
  }

  /** The console check can fail: a page that logs an error is caught. */
  @Test
  void theConsoleCheckCatchesAnError(@TempDir Path dir) throws Exception {
    requireChromium();
    Path page = Files.writeString(dir.resolve("bad.html"), "<!DOCTYPE html><html><body>"
        + "<img src=\"missing.png\" alt=\"missing\"><script>console.error('probe error')"
        + "</script></body></html>");
    ChromeDriver browser = open(dir);
    try {
      browser.get(page.toUri().toString());
      List<String> messages = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
          .map(LogEntry::getMessage).toList();
      assertThat(messages).anyMatch(m -> m.contains("probe error"))
          .anyMatch(m -> m.contains("missing.png"));
      Object width = browser.executeScript("return document.images[0].naturalWidth;");
      assertThat(((Number) width).intValue()).isZero();
    } finally {
      browser.quit();
    }
  }

  static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String why = "headless Chromium is needed to check the HTML report: apt-get install -y "
          + "chromium chromium-driver (.ci/run installs them); missing " + (Files.isExecutable(
          CHROMIUM) ? CHROMEDRIVER : CHROMIUM);
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  /** Chromium without sandbox (CI runs as root), headless, its profile in {@code dir}. */
  static ChromeDriver open(Path dir) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--window-size=1280,1600", "--no-first-run",
        "--user-data-dir=" + dir.resolve("chromium-profile"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  static double inkShare(BufferedImage im) {
    long ink = 0;
    for (int y = 0; y < im.getHeight(); y++) {
      for (int x = 0; x < im.getWidth(); x++) {
        int rgb = im.getRGB(x, y) & 0xffffff;
        if (rgb != 0xffffff) {
          ink++;
        }
      }
    }
    return (double) ink / ((long) im.getWidth() * im.getHeight());
  }

  static int colours(BufferedImage im) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < im.getHeight(); y += 2) {
      for (int x = 0; x < im.getWidth(); x += 2) {
        seen.add(im.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
