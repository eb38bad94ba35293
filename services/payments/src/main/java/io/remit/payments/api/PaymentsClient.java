package io.remit.payments.api;

import io.remit.kit.client.Call;
import io.remit.kit.client.DependencyErrorException;
import io.remit.kit.client.DependencyUnavailableException;
import io.remit.kit.client.ServiceClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The typed client of payments, on the kit's resilient {@link ServiceClient}: a consumer (a web
 * front end, a reconciliation job) never hand-writes these calls. {@link #create} always sends an
 * Idempotency-Key, so the kit may retry it safely; send the same key again to retry a payment.
 * Errors: {@link DependencyUnavailableException} when payments cannot answer,
 * {@link DependencyErrorException} with payments' {@code {code, message, details}} when it refuses
 * (422 for bad input, 409 while the first request with the key is in flight).
 */
public final class PaymentsClient {

    public static final String SERVICE = "payments";

    private final ServiceClient client;
    private final String clientId;

    /** @param clientId who calls, sent as {@code X-Client-Id}: idempotency keys are scoped by it */
    public PaymentsClient(ServiceClient client, String clientId) {
        this.client = client;
        this.clientId = clientId;
    }

    public PaymentView create(PaymentRequest request, String idempotencyKey) {
        return client.call(Call.post("/payments", request).withIdempotencyKey(idempotencyKey)
                .withHeader("X-Client-Id", clientId), PaymentView.class);
    }

    /** The payment with its history; empty when payments does not know it. */
    public Optional<PaymentView> find(String id) {
        try {
            return Optional.of(client.call(Call.get("/payments/" + encode(id)), PaymentView.class));
        } catch (DependencyErrorException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** One page of a payer's payments, newest first; {@code cursor} null for the first page. */
    public PaymentPage byPayer(String payerId, int limit, String cursor) {
        return client.call(Call.get("/payments?payerId=" + encode(payerId) + "&limit=" + limit
                + (cursor == null ? "" : "&cursor=" + encode(cursor))), PaymentPage.class);
    }

    /** One page of a school's payments, newest first. */
    public PaymentPage bySchool(String schoolId, int limit, String cursor) {
        return client.call(Call.get("/payments?schoolId=" + encode(schoolId) + "&limit=" + limit
                + (cursor == null ? "" : "&cursor=" + encode(cursor))), PaymentPage.class);
    }

    /** Moves the payment on (e.g. {@code funds_received}); a transition not allowed now is a 409. */
    public PaymentView event(String id, EventRequest event) {
        return client.call(Call.post("/payments/" + encode(id) + "/events", event), PaymentView.class);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
