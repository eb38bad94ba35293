package io.remit.schools.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A bank account number or IBAN: a secret. It is held in normalised form (no spaces or hyphens,
 * capital letters), and nothing but {@link #reveal()} shows it whole: {@link #toString()} and
 * JSON give the masked form {@code ****1234}, so a log line or an accidental serialisation leaks
 * only the last four characters.
 */
public final class AccountNumber {

    private final String value;

    private AccountNumber(String value) {
        this.value = value;
    }

    /** Spaces and hyphens removed, letters in capitals; {@code text} must not be null. */
    public static AccountNumber of(String text) {
        return new AccountNumber(normalise(text));
    }

    public static String normalise(String text) {
        return text.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    /** The whole number, for encryption and payouts only. */
    public String reveal() {
        return value;
    }

    /** The last four characters (all of it, if shorter). */
    public String last4() {
        return value.length() <= 4 ? value : value.substring(value.length() - 4);
    }

    @JsonValue
    public String masked() {
        return "****" + last4();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountNumber a && a.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return masked();
    }
}
