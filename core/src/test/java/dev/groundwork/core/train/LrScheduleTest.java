package dev.groundwork.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.groundwork.core.InvalidParameterException;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

  @Test
  void cosineStartsAtTheBaseHalvesAtTheMiddleAndStaysPositive() {
    LrSchedule s = LrSchedule.cosine();
    assertThat(s.rate(0.1, 0, 100, 10)).isEqualTo(0.1);
    assertThat(s.rate(0.1, 50, 100, 10)).isCloseTo(0.05, offset(1e-12));
    assertThat(s.rate(0.1, 99, 100, 10)).isPositive().isLessThan(1e-4);
    assertThat(LrSchedule.cosine(0.1).rate(1, 100, 100, 10)).isCloseTo(0.1, offset(1e-12));
  }

  @Test
  void stepDecaysEveryKEpochs() {
    LrSchedule s = LrSchedule.step(2, 0.1);
    assertThat(s.rate(1, 19, 100, 10)).isEqualTo(1.0); // epoch 1
    assertThat(s.rate(1, 20, 100, 10)).isCloseTo(0.1, offset(1e-15)); // epoch 2
    assertThat(s.rate(1, 45, 100, 10)).isCloseTo(0.01, offset(1e-15)); // epoch 4
  }

  @Test
  void oneCycleWarmsUpFromBaseOver25ToTheBaseThenAnnealsMonotonically() {
    LrSchedule s = LrSchedule.oneCycle(0.3);
    assertThat(s.rate(1, 0, 100, 10)).isCloseTo(0.04, offset(1e-12));
    assertThat(s.rate(1, 30, 100, 10)).isCloseTo(1.0, offset(1e-12));
    double prev = 2;
    for (int t = 30; t < 100; t++) {
      double r = s.rate(1, t, 100, 10);
      assertThat(r).isLessThan(prev).isPositive();
      prev = r;
    }
    for (int t = 1; t <= 30; t++) {
      assertThat(s.rate(1, t, 100, 10)).isGreaterThan(s.rate(1, t - 1, 100, 10));
    }
    assertThat(prev).isLessThan(1e-3);
  }

  @Test
  void badArgumentsAreTypedErrors() {
    assertThatThrownBy(() -> LrSchedule.step(0, 0.5)).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("everyEpochs");
    assertThatThrownBy(() -> LrSchedule.oneCycle(1.2))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("warmupFraction");
    assertThatThrownBy(() -> LrSchedule.cosine(1)).isInstanceOf(InvalidParameterException.class);
    assertThat(LrSchedule.oneCycle(0.3).toString()).contains("one-cycle");
  }
}
