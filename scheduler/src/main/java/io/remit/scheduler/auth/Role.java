package io.remit.scheduler.auth;

/** What a caller may do: a {@code viewer} reads everything but secrets; an {@code operator} also changes things. */
public enum Role {
    viewer,
    operator;

    public boolean mayChange() {
        return this == operator;
    }
}
