package io.remit.payments.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.remit.fx.api.Money;
import io.remit.payments.core.EventType;
import io.remit.payments.core.Payment;
import io.remit.payments.core.PaymentEvent;
import io.remit.payments.core.PaymentState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The payment JSON the README documents, field by field. */
class PaymentViewJsonTest {

    private static final ObjectMapper JSON = Jackson.newObjectMapper();

    @Test
    void serializesToTheDocumentedJson() throws Exception {
        Instant created = Instant.parse("2026-11-28T10:15:30.123456Z");
        Instant requested = Instant.parse("2026-11-28T10:20:00Z");
        Payment p = new Payment(UUID.fromString("6f1c2f3e-9a4b-4c1d-8e2f-0a1b2c3d4e5f"), "payer-1", "oxford-brookes",
                "S1234567", "BANK_TRANSFER", PaymentState.AWAITING_FUNDS, "q-81c2", "0.786100",
                new Money(1_590_129, "USD"), new Money(7_951, "USD"), new Money(1_598_080, "USD"),
                new Money(1_250_000, "GBP"), 2, created, requested);
        List<PaymentEvent> history = List.of(
                new PaymentEvent(1, EventType.CREATED, null, PaymentState.CREATED, created, null),
                new PaymentEvent(2, EventType.FUNDS_REQUESTED, PaymentState.CREATED, PaymentState.AWAITING_FUNDS,
                        requested, "invoice sent"));

        assertThat(JSON.readTree(JSON.writeValueAsString(PaymentView.of(p, history))))
                .isEqualTo(JSON.readTree(fixture("fixtures/payment.json")));
        assertThat(JSON.readTree(JSON.writeValueAsString(PaymentView.of(p, null))).has("history")).isFalse();
    }

    private static String fixture(String name) throws Exception {
        try (InputStream in = PaymentViewJsonTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
