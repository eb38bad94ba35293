package io.remit.payments.db;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque {@code cursor} of {@code GET /payments}: the paging key of the last payment of a
 * page, base64url-encoded with a version prefix so the format can change without misreading old
 * cursors. The next page holds the payments strictly after it in the list's fixed order (newest
 * first by insertion), so a page never repeats or skips a payment, whatever is inserted meanwhile
 * (new payments appear on the first page, not in the middle).
 */
public final class PageCursor {

    private static final String PREFIX = "p1:";

    private PageCursor() {
    }

    public static String encode(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    /** The paging key in {@code cursor}; empty when it is not a cursor this service made. */
    public static Optional<Long> decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(PREFIX)) {
                return Optional.empty();
            }
            long seq = Long.parseLong(text.substring(PREFIX.length()));
            return seq > 0 ? Optional.of(seq) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
