package io.remit.mesos;

/**
 * A call that Mesos answered with a status other than the one it promises for success
 * (202 Accepted for a call, 200 for SUBSCRIBE). Carries the status and the body Mesos sent,
 * which usually says what was wrong ("Framework is not subscribed", a validation error, ...).
 */
public final class MesosCallException extends RuntimeException {

    private final int statusCode;
    private final String body;

    public MesosCallException(String callType, int statusCode, String body) {
        super(callType + " answered " + statusCode + (body.isBlank() ? "" : ": " + body.strip()));
        this.statusCode = statusCode;
        this.body = body;
    }

    /** The HTTP status code Mesos answered with. */
    public int statusCode() {
        return statusCode;
    }

    /** The response body as UTF-8 text, possibly empty. */
    public String body() {
        return body;
    }
}
