package io.remit.kit.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CohortTest {

    static String field(String json, String... fields) {
        return CohortFieldFilter.field(json.getBytes(StandardCharsets.UTF_8), List.of(fields));
    }

    @Test
    void aBodyFieldIsReadAtTheTopLevelOnly() {
        assertThat(field("{\"amount\": {\"payerId\": \"inner\"}, \"payerId\": \"p-1\", \"x\": [1, {\"y\": 2}]}", "payerId"))
                .isEqualTo("p-1");
        assertThat(field("{\"payerId\": 12345}", "payerId")).isEqualTo("12345");
        assertThat(field("{\"payerId\": null}", "payerId")).isNull();
        assertThat(field("{\"payerId\": {\"id\": 1}}", "payerId")).isNull();
        assertThat(field("[{\"payerId\": \"p\"}]", "payerId")).isNull();
        assertThat(field("{\"payerId\": \"p\", broken", "payerId")).isEqualTo("p");
        assertThat(field("not json", "payerId")).isNull();
        // The first field named by the experiments (in their name order) wins, wherever it is in the body.
        assertThat(field("{\"clientId\": \"c\", \"payerId\": \"p\"}", "payerId", "clientId")).isEqualTo("p");
        assertThat(field("{\"clientId\": \"c\"}", "payerId", "clientId")).isEqualTo("c");
    }

    @Test
    void aKeyIsPrintableAsciiOfBoundedLength() {
        assertThat(Cohort.clean(" payer-1 ")).isEqualTo("payer-1");
        assertThat(Cohort.clean("Zoë")).isEqualTo("Zo%C3%AB");
        assertThat(Cohort.clean("")).isNull();
        assertThat(Cohort.clean(null)).isNull();
        assertThat(Cohort.clean("x".repeat(Cohort.MAX_LENGTH))).hasSize(Cohort.MAX_LENGTH);
        assertThat(Cohort.clean("x".repeat(Cohort.MAX_LENGTH + 1))).isNull();
    }

    @Test
    void aScopeRestoresWhatWasBefore() {
        assertThat(Cohort.current()).isNull();
        try (Cohort.Scope outer = Cohort.open("a")) {
            try (Cohort.Scope inner = Cohort.open("b")) {
                assertThat(Cohort.current()).isEqualTo("b");
            }
            assertThat(Cohort.current()).isEqualTo("a");
        }
        assertThat(Cohort.current()).isNull();
    }
}
