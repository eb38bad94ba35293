package io.remit.payments.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.remit.payments.core.PaymentEvent;
import io.remit.payments.core.PaymentState;
import java.time.Instant;

/**
 * One entry of a payment's {@code history}: {@code {"type": "funds_received", "from": "AWAITING_FUNDS",
 * "to": "FUNDS_RECEIVED", "at": "2026-11-28T10:15:30.123456Z", "reason": null}}.
 */
public record EventView(String type, PaymentState from, PaymentState to,
                        @JsonFormat(shape = JsonFormat.Shape.STRING) Instant at, String reason) {

    public static EventView of(PaymentEvent e) {
        return new EventView(e.type().wireName(), e.from(), e.to(), e.at(), e.reason());
    }
}
