package io.remit.payments.resources;

import io.remit.http.ApiException;
import io.remit.kit.http.Problem;
import java.util.regex.Pattern;

/**
 * The request headers that say who is asking and which request this is.
 *
 * <ul>
 *   <li>{@value #CLIENT_ID}: the caller. Idempotency keys are scoped to it: two callers may use the
 *       same key without meeting. Absent means {@value #ANONYMOUS}. Remit's services sit behind the
 *       platform's own network, so this is an identity callers declare, not one proven; a gateway
 *       that authenticates callers should set it.</li>
 *   <li>{@value #IDEMPOTENCY_KEY}: required on {@code POST /payments}; 1-255 visible ASCII characters,
 *       sent bare or as a structured-field string in double quotes ({@code "8e03978e-..."}) as the IETF
 *       draft writes it. A UUID per logical payment is the usual choice.</li>
 * </ul>
 */
public final class CallerHeaders {

    public static final String CLIENT_ID = "X-Client-Id";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String ANONYMOUS = "anonymous";

    private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E][\\x20-\\x7E]{0,254}");

    private CallerHeaders() {
    }

    /** The caller named by {@value #CLIENT_ID}; 400 when it is malformed. */
    public static String client(String header) {
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String client = header.strip();
        if (!CLIENT.matcher(client).matches()) {
            throw ApiException.badRequest("invalid " + CLIENT_ID + " header",
                    new Problem(CLIENT_ID, "must be 1-100 letters, digits or . _ : @ - (starting with a letter or digit)"));
        }
        return client;
    }

    /** The key in {@value #IDEMPOTENCY_KEY}; 400 when it is missing or malformed. */
    public static String idempotencyKey(String header) {
        if (header == null || header.isBlank()) {
            throw ApiException.badRequest("the " + IDEMPOTENCY_KEY + " header is required: send a unique key (e.g. a UUID) "
                    + "per payment, and the same key again when retrying it", new Problem(IDEMPOTENCY_KEY, "is required"));
        }
        String key = header.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (!KEY.matcher(key).matches() || key.isBlank()) {
            throw ApiException.badRequest("invalid " + IDEMPOTENCY_KEY + " header",
                    new Problem(IDEMPOTENCY_KEY, "must be 1-255 visible ASCII characters"));
        }
        return key.strip();
    }
}
