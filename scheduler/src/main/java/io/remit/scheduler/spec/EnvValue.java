package io.remit.scheduler.spec;

import java.util.Objects;

/**
 * The value of one environment variable of a service. A secret value is passed to the instance
 * but never shown: {@link #toString()} masks it, and the REST API and UI must do the same.
 *
 * <p>In a spec a plain value is written as a string ({@code GREETING: "hello"}); a secret as an
 * object ({@code DB_PASSWORD: {value: "x", secret: true}}).
 */
public record EnvValue(String value, boolean secret) {

    public EnvValue {
        Objects.requireNonNull(value, "value");
    }

    public static EnvValue plain(String value) {
        return new EnvValue(value, false);
    }

    public static EnvValue secret(String value) {
        return new EnvValue(value, true);
    }

    /** What the API and UI show in place of a secret value. */
    public static final String MASK = "****";

    /** The value as it may be displayed: the value itself, or {@link #MASK} when secret. */
    public String display() {
        return secret ? MASK : value;
    }

    @Override
    public String toString() {
        return "EnvValue[value=" + display() + ", secret=" + secret + "]";
    }
}
