package io.remit.scheduler.api;

import io.remit.http.ApiException;
import io.remit.scheduler.auth.Caller;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.SpecStore;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Who asks for a change and why, from a request: the caller the {@code AuthFilter} established,
 * and the message in {@value #MESSAGE_HEADER}. Non-ASCII text is sent in RFC 8187's form,
 * {@code UTF-8''} then the percent-encoded UTF-8 bytes ({@code UTF-8''caf%C3%A9}), since header
 * values are not UTF-8.
 */
public final class ChangeRequest {

    public static final String MESSAGE_HEADER = "X-Remit-Message";
    /** A change message's longest, in characters. */
    public static final int MAX_MESSAGE = 1000;

    private static final String UTF8_PREFIX = "UTF-8''";

    private ChangeRequest() {
    }

    /**
     * The change {@code request} asks for, given the message text explicitly sent (the header)
     * or, without one, {@code defaultMessage}.
     *
     * @throws ApiException 422 naming the header when the message is too long or not readable
     */
    public static SpecStore.Change of(HttpServletRequest request, String defaultMessage) {
        Caller caller = request == null ? null : (Caller) request.getAttribute(Caller.ATTRIBUTE);
        String raw = request == null ? null : request.getHeader(MESSAGE_HEADER);
        String message = raw == null || raw.isBlank() ? defaultMessage : message(raw);
        return new SpecStore.Change(caller == null ? Caller.ANONYMOUS_OPERATOR.name() : caller.name(), message);
    }

    static String message(String raw) {
        String text = raw;
        if (raw.regionMatches(true, 0, UTF8_PREFIX, 0, UTF8_PREFIX.length())) {
            try {
                text = URLDecoder.decode(raw.substring(UTF8_PREFIX.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid("is not valid RFC 8187 text: after UTF-8'' come only characters and %XX bytes");
            }
            if (text.indexOf('\uFFFD') >= 0) {
                throw invalid("is not valid UTF-8 after UTF-8''");
            }
        }
        text = text.strip();
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
            throw invalid("must be one line of text, without control characters");
        }
        if (text.length() > MAX_MESSAGE) {
            throw invalid("is " + text.length() + " characters long; at most " + MAX_MESSAGE);
        }
        return text;
    }

    private static ApiException invalid(String reason) {
        return new ApiException(422, "invalid change message", List.of(new Violation(MESSAGE_HEADER, reason)));
    }
}
