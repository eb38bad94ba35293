package io.remit.scheduler.auth;

/** Who made a request, as the {@link AuthFilter} established it. */
public record Caller(String name, Role role, String via) {

    /** The request attribute that holds the caller. */
    public static final String ATTRIBUTE = "remit.caller";

    /** When access control is off, every request is made by this operator. */
    public static final Caller ANONYMOUS_OPERATOR = new Caller("anonymous", Role.operator, "none");
}
