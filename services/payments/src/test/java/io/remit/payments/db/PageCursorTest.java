package io.remit.payments.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void roundTrips() {
        for (long seq : new long[] {1, 42, Long.MAX_VALUE}) {
            assertThat(PageCursor.decode(PageCursor.encode(seq))).contains(seq);
        }
        assertThat(PageCursor.encode(42)).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void anythingElseIsNotACursor() {
        assertThat(PageCursor.decode("bogus!")).isEmpty();
        assertThat(PageCursor.decode("")).isEmpty();
        assertThat(PageCursor.decode(b64("p1:abc"))).isEmpty();
        assertThat(PageCursor.decode(b64("p1:0"))).isEmpty();
        assertThat(PageCursor.decode(b64("p2:5"))).isEmpty();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
