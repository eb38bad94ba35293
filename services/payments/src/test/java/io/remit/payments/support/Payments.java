package io.remit.payments.support;

import io.remit.fx.api.Money;
import io.remit.payments.api.PaymentRequest;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Requests and database look-ups the integration tests share. */
public final class Payments {

    private Payments() {
    }

    /** 12,500.00 GBP to Oxford Brookes, funded in USD, by bank transfer, with a fresh reference. */
    public static PaymentRequest tuition(String payerId) {
        return new PaymentRequest(payerId, FakeSchools.BROOKES.id(), new Money(1_250_000, "GBP"), "USD",
                "BANK_TRANSFER", "S-" + UUID.randomUUID(), null);
    }

    public static Map<String, String> key(String key) {
        return Map.of("Idempotency-Key", key);
    }

    public static String newKey() {
        return UUID.randomUUID().toString();
    }

    public static int paymentsWithReference(Jdbi db, String reference) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM payments WHERE reference = :r")
                .bind("r", reference).mapTo(Integer.class).one());
    }

    public static int keyRows(Jdbi db, String client, String key) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM idempotency_keys WHERE client_id = :c "
                        + "AND idempotency_key = :k")
                .bind("c", client).bind("k", key).mapTo(Integer.class).one());
    }
}
