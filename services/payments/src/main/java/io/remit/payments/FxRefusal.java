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
        for (Problem p : error.details()) {
            if (p.message() != null) {
                problems.add(new Problem(PAYMENT_FIELD.getOrDefault(p.path(), "amount"), "is refused by fx: " + p.message()));
            }
        }
        if (problems.isEmpty()) {
            problems.add(new Problem("amount", "is refused by fx: " + error.message()));
        }
        return problems;
    }
}
