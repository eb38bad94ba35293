package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({
        "PT1.5S, 1500", "pt2m, 120000", "250ms, 250", "5s, 5000", "5 s, 5000", "10 seconds, 10000",
        "1 second, 1000", "2m, 120000", "3 minutes, 180000", "2min, 120000", "1h, 3600000", "1d, 86400000",
        "2000000ns, 2", "3000us, 3", "' 7s ', 7000"
    })
    void parses(String text, long millis) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "5 fortnights", "-5s", "1.5s", "PTxS", "99999999999999999999s"})
    void rejects(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
