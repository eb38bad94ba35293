package io.remit.payments;

import io.remit.kit.http.ApiError;
import io.remit.kit.http.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * fx's refusal of the quote for a payment (its 422), told in the payment request's own terms: each
 * problem fx names on a field of its quote request is put on the payment field it came from
 * ({@code sourceCurrency} stays, {@code targetAmount} is the payment's {@code amount.amount},
 * {@code targetCurrency} its {@code amount.currency}), so the payer learns which of their fields
 * to change, with fx's reason. Pure.
 */
final class FxRefusal {

    private static final Map<String, String> PAYMENT_FIELD = Map.of(
            "sourceCurrency", "sourceCurrency",
            "targetAmount", "amount.amount",
            "targetCurrency", "amount.currency",
            "sourceAmount", "amount.amount");

    private FxRefusal() {
    }

    /** The payment's problems for fx's 422 body {@code error}; at least one. */
    static List<Problem> problems(ApiError error) {
        List<Problem> problems = new ArrayList<>();
        for (Object detail : error.details()) {
            String field = null;
            String reason = null;
            if (detail instanceof Problem p) {
                field = p.field();
                reason = p.reason();
            } else if (detail instanceof Map<?, ?> m) {
                field = m.get("field") == null ? null : String.valueOf(m.get("field"));
                reason = m.get("reason") == null ? null : String.valueOf(m.get("reason"));
            }
            if (reason != null) {
                problems.add(new Problem(PAYMENT_FIELD.getOrDefault(field, "amount"), "is refused by fx: " + reason));
            }
        }
        if (problems.isEmpty()) {
            problems.add(new Problem("amount", "is refused by fx: " + error.message()));
        }
        return problems;
    }
}
