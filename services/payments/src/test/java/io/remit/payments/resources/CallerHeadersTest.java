package io.remit.payments.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.http.ApiException;
import org.junit.jupiter.api.Test;

class CallerHeadersTest {

    @Test
    void theKeyIsTakenBareOrAsAStructuredFieldString() {
        assertThat(CallerHeaders.idempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324"))
                .isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(CallerHeaders.idempotencyKey(" \"8e03978e-40d5\" ")).isEqualTo("8e03978e-40d5");
    }

    @Test
    void aMissingEmptyOrOddKeyIs400() {
        for (String bad : new String[] {null, "", "  ", "\"\"", "é", "x".repeat(256)}) {
            assertThatThrownBy(() -> CallerHeaders.idempotencyKey(bad)).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void theCallerIsAnonymousUnlessNamed() {
        assertThat(CallerHeaders.client(null)).isEqualTo("anonymous");
        assertThat(CallerHeaders.client(" mobile-app ")).isEqualTo("mobile-app");
        assertThatThrownBy(() -> CallerHeaders.client("has space")).isInstanceOf(ApiException.class);
    }
}
