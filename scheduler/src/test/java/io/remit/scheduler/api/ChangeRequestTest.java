package io.remit.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.http.ApiException;
import org.junit.jupiter.api.Test;

/** The change message header: as sent, or in RFC 8187's UTF-8'' form; one line, at most 1,000 characters. */
class ChangeRequestTest {

    @Test
    void aMessageIsReadAsSentOrDecodedFromItsUtf8Form() {
        assertThat(ChangeRequest.message("  fx 1.4: quotes in CHF ")).isEqualTo("fx 1.4: quotes in CHF");
        assertThat(ChangeRequest.message("UTF-8''Geb%C3%BChr%205%20%E2%82%AC+1")).isEqualTo("Gebühr 5 €+1");
        assertThat(ChangeRequest.message("utf-8''caf%C3%A9")).isEqualTo("café");
        assertThat(ChangeRequest.message("100% sure")).as("no prefix: taken as it is").isEqualTo("100% sure");
    }

    @Test
    void anUnreadableOrOverlongMessageIsRefusedNamingTheHeader() {
        for (String bad : new String[] {"UTF-8''%zz", "UTF-8''%E2%82", "UTF-8''two%0Alines", "x".repeat(1001)}) {
            assertThatThrownBy(() -> ChangeRequest.message(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.details()).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("X-Remit-Message"));
                    });
        }
        assertThat(ChangeRequest.message("x".repeat(1000))).hasSize(1000);
    }
}
