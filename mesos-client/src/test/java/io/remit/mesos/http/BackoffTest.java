package io.remit.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(42));

    @Test
    void ceilingDoublesFromMinAndIsCappedAtMax() {
        assertThat(IntStream.range(0, 9).mapToObj(backoff::ceiling).map(Duration::toMillis))
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
        assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void delaysAreJitteredWithinTheCeiling() {
        for (int attempt = 0; attempt < 20; attempt++) {
            Duration ceiling = backoff.ceiling(attempt);
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delay(attempt)).isBetween(Duration.ZERO, ceiling);
            }
        }
    }

    @Test
    void delaysGrowOnAverageAndSpreadOverTheWholeRange() {
        double firstMean = IntStream.range(0, 1000).mapToLong(i -> backoff.delay(0).toMillis()).average().orElseThrow();
        double cappedMean = IntStream.range(0, 1000).mapToLong(i -> backoff.delay(30).toMillis()).average().orElseThrow();
        assertThat(firstMean).isBetween(200.0, 300.0);
        assertThat(cappedMean).isBetween(13_000.0, 17_000.0);
        long min = IntStream.range(0, 1000).mapToLong(i -> backoff.delay(30).toMillis()).min().orElseThrow();
        long max = IntStream.range(0, 1000).mapToLong(i -> backoff.delay(30).toMillis()).max().orElseThrow();
        assertThat(min).isLessThan(1_000);
        assertThat(max).isGreaterThan(29_000);
    }

    @Test
    void sameSeedGivesTheSameDelays() {
        Backoff a = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(7));
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(7));
        for (int attempt = 0; attempt < 10; attempt++) {
            assertThat(a.delay(attempt)).isEqualTo(b.delay(attempt));
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below min");
        assertThatThrownBy(() -> backoff.ceiling(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
