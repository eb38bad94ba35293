package io.remit.mesos.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MesosDurationTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("5secs", Duration.ofSeconds(5)),
                Arguments.of("15mins", Duration.ofMinutes(15)),
                Arguments.of("2secs", Duration.ofSeconds(2)),
                Arguments.of("100ms", Duration.ofMillis(100)),
                Arguments.of("1hrs", Duration.ofHours(1)),
                Arguments.of("1days", Duration.ofDays(1)),
                Arguments.of("500us", Duration.ofNanos(500_000)),
                Arguments.of("250ns", Duration.ofNanos(250)),
                Arguments.of("1weeks", Duration.ofDays(7)),
                Arguments.of("1.5secs", Duration.ofMillis(1500)),
                Arguments.of("0.25mins", Duration.ofSeconds(15)),
                Arguments.of("0secs", Duration.ZERO),
                Arguments.of(" 3secs ", Duration.ofSeconds(3)));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void parses(String text, Duration expected) {
        assertThat(MesosDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "secs", "5 secs", "5sec", "5s", "5m", "-5secs", "1e3ms", ".5secs", "5.secs", "5SECS"})
    void rejectsWhatIsNotAMesosDuration(String text) {
        assertThatThrownBy(() -> MesosDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Mesos duration")
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void rejectsNullAndOverflow() {
        assertThatThrownBy(() -> MesosDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MesosDuration.parse("99999999999weeks"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void formatsInTheLargestExactUnitAndRoundTrips() {
        assertThat(MesosDuration.format(Duration.ofMinutes(15))).isEqualTo("15mins");
        assertThat(MesosDuration.format(Duration.ofSeconds(90))).isEqualTo("90secs");
        assertThat(MesosDuration.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(MesosDuration.format(Duration.ofDays(14))).isEqualTo("2weeks");
        assertThat(MesosDuration.format(Duration.ZERO)).isEqualTo("0secs");
        examples().map(a -> (Duration) a.get()[1]).forEach(d ->
                assertThat(MesosDuration.parse(MesosDuration.format(d))).isEqualTo(d));
    }
}
