package io.remit.payments.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    private static final ObjectMapper JSON = Jackson.newObjectMapper();

    @Test
    void keyOrderAndSpacingDoNotMatter() throws Exception {
        String a = Fingerprint.of("POST", "/payments", JSON.readTree("{\"b\": {\"y\": 1, \"x\": [2, {\"q\": 1, \"p\": 2}]}, \"a\": \"v\"}"), JSON);
        String b = Fingerprint.of("POST", "/payments", JSON.readTree("{\"a\":\"v\",\"b\":{\"x\":[2,{\"p\":2,\"q\":1}],\"y\":1}}"), JSON);

        assertThat(a).isEqualTo(b).hasSize(64);
        assertThat(Fingerprint.canonical(JSON.readTree("{\"b\": 1, \"a\": [3, 1]}"), JSON)).isEqualTo("{\"a\":[3,1],\"b\":1}");
    }

    @Test
    void anyValueMethodOrPathMatters() throws Exception {
        String base = Fingerprint.of("POST", "/payments", JSON.readTree("{\"a\": 1}"), JSON);

        assertThat(Fingerprint.of("POST", "/payments", JSON.readTree("{\"a\": 2}"), JSON)).isNotEqualTo(base);
        assertThat(Fingerprint.of("POST", "/payments", JSON.readTree("{\"a\": \"1\"}"), JSON)).isNotEqualTo(base);
        assertThat(Fingerprint.of("PUT", "/payments", JSON.readTree("{\"a\": 1}"), JSON)).isNotEqualTo(base);
        assertThat(Fingerprint.of("POST", "/other", JSON.readTree("{\"a\": 1}"), JSON)).isNotEqualTo(base);
        assertThat(Fingerprint.of("POST", "/payments", JSON.readTree("[{\"a\": 1}]"), JSON)).isNotEqualTo(base);
    }
}
