package io.remit.payments.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.remit.fx.api.Money;
import io.remit.payments.core.Payment;
import io.remit.payments.core.PaymentEvent;
import io.remit.payments.core.PaymentState;
import java.time.Instant;
import java.util.List;

/**
 * A payment as the API shows it. {@code history} is there when one payment is asked for (and in
 * the answer to its creation and to an event), not in lists.
 *
 * @param amount  what the school receives, in the school's currency (minor units)
 * @param source  what fx converts, in {@code sourceCurrency}
 * @param fee     fx's fee, in {@code sourceCurrency}
 * @param total   what the payer pays, {@code source + fee}
 * @param rate    the quote's rate as fx gave it, a decimal string
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentView(String id, PaymentState state, String payerId, String schoolId, String reference,
                          String paymentMethod, Money amount, String sourceCurrency, String quoteId, String rate,
                          Money source, Money fee, Money total, int version,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) Instant createdAt,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) Instant updatedAt,
                          List<EventView> history) {

    public static PaymentView of(Payment p, List<PaymentEvent> history) {
        return new PaymentView(p.id().toString(), p.state(), p.payerId(), p.schoolId(), p.reference(),
                p.paymentMethod(), p.target(), p.source().currency(), p.quoteId(), p.rate(), p.source(), p.fee(),
                p.total(), p.version(), p.createdAt(), p.updatedAt(),
                history == null ? null : history.stream().map(EventView::of).toList());
    }
}
