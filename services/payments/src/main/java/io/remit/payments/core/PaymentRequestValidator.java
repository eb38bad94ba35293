package io.remit.payments.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.fx.api.Money;
import io.remit.kit.http.Problems;
import java.util.Currency;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the JSON body of {@code POST /payments} and lists every problem at once, field by field
 * (JSON paths such as {@code amount.currency}); pure. Works on the JSON tree rather than a bound
 * type so that a wrong type, a missing field and an unknown field are all reported together, and
 * so that a fractional amount is refused instead of silently truncated. Text must be well-formed
 * Unicode (see {@link UnicodeText}); lengths are in characters (code points).
 */
public final class PaymentRequestValidator {

    /** Largest amount accepted, in minor units (10^15: far above any tuition, far below overflow). */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;

    private static final Set<String> FIELDS = Set.of("payerId", "schoolId", "amount", "sourceCurrency",
            "paymentMethod", "reference", "quoteId");
    private static final Set<String> MONEY_FIELDS = Set.of("amount", "currency");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}");
    private static final Pattern QUOTE_ID = Pattern.compile("[A-Za-z0-9._~-]{1,512}");
    private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int MAX_REFERENCE = 140;

    private PaymentRequestValidator() {
    }

    /**
     * The payment asked for; adds every problem to {@code problems} and returns null when there is any.
     */
    public static NewPayment validate(JsonNode body, Problems problems) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            problems.add("body", "is required: a JSON object");
            return null;
        }
        if (!body.isObject()) {
            problems.add("body", "must be a JSON object");
            return null;
        }
        unknownFields(body, FIELDS, "", problems);
        String payerId = text(body, "payerId", true, problems);
        if (payerId != null) {
            problems.check(ID.matcher(payerId).matches(), "payerId",
                    "must be 1-100 letters, digits or . _ : @ - (starting with a letter or digit)");
        }
        String schoolId = text(body, "schoolId", true, problems);
        if (schoolId != null) {
            problems.check(ID.matcher(schoolId).matches(), "schoolId",
                    "must be 1-100 letters, digits or . _ : @ - (starting with a letter or digit)");
        }
        Money amount = money(body.get("amount"), "amount", problems);
        String sourceCurrency = text(body, "sourceCurrency", true, problems);
        if (sourceCurrency != null) {
            currency(sourceCurrency, "sourceCurrency", problems);
        }
        String method = text(body, "paymentMethod", true, problems);
        if (method != null) {
            problems.check(METHOD.matcher(method).matches(), "paymentMethod",
                    "must be an upper-case method name such as BANK_TRANSFER or CARD");
        }
        String reference = text(body, "reference", true, problems);
        if (reference != null) {
            problems.check(UnicodeText.length(reference) <= MAX_REFERENCE, "reference",
                    "must be at most " + MAX_REFERENCE + " characters");
            problems.check(reference.chars().noneMatch(Character::isISOControl), "reference", "must not contain control characters");
        }
        String quoteId = text(body, "quoteId", false, problems);
        if (quoteId != null) {
            problems.check(QUOTE_ID.matcher(quoteId).matches(), "quoteId", "must be 1-512 letters, digits or . _ ~ -");
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new NewPayment(payerId, schoolId, amount, sourceCurrency, method, reference, quoteId);
    }

    private static Money money(JsonNode node, String field, Problems problems) {
        if (node == null || node.isNull()) {
            problems.add(field, "is required: {\"amount\": <integer minor units>, \"currency\": \"<ISO 4217>\"}");
            return null;
        }
        if (!node.isObject()) {
            problems.add(field, "must be an object {\"amount\": <integer minor units>, \"currency\": \"<ISO 4217>\"}");
            return null;
        }
        unknownFields(node, MONEY_FIELDS, field + ".", problems);
        Long minor = null;
        JsonNode a = node.get("amount");
        String amountField = field + ".amount";
        if (a == null || a.isNull()) {
            problems.add(amountField, "is required");
        } else if (!a.isIntegralNumber()) {
            problems.add(amountField, a.isNumber()
                    ? "must be a whole number of minor units (e.g. 1250000 for 12,500.00), not a fraction"
                    : "must be a number (integer minor units)");
        } else if (!a.canConvertToLong() || a.longValue() > MAX_AMOUNT) {
            problems.add(amountField, "must be at most " + MAX_AMOUNT);
        } else if (a.longValue() <= 0) {
            problems.add(amountField, "must be positive");
        } else {
            minor = a.longValue();
        }
        String currency = text(node, "currency", true, problems, field + ".currency");
        boolean currencyOk = currency != null && currency(currency, field + ".currency", problems);
        return minor != null && currencyOk ? new Money(minor, currency) : null;
    }

    private static boolean currency(String code, String field, Problems problems) {
        if (!CURRENCY.matcher(code).matches()) {
            problems.add(field, "must be an ISO 4217 code of three upper-case letters, e.g. GBP");
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            problems.add(field, "is not an ISO 4217 currency: " + code);
            return false;
        }
    }

    private static String text(JsonNode node, String name, boolean required, Problems problems) {
        return text(node, name, required, problems, name);
    }

    private static String text(JsonNode node, String name, boolean required, Problems problems, String field) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field, "must be a string");
            return null;
        }
        String malformed = UnicodeText.malformed(v.asText());
        if (malformed != null) {
            problems.add(field, malformed);
            return null;
        }
        if (v.asText().isBlank()) {
            problems.add(field, required ? "is required" : "must not be blank");
            return null;
        }
        return v.asText();
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, Problems problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                problems.add(prefix + name, "is not a known field");
            }
        }
    }
}
