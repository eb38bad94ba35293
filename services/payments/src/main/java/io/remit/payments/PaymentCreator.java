package io.remit.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.fx.api.FxClient;
import io.remit.fx.api.Money;
import io.remit.fx.api.Quote;
import io.remit.fx.api.QuoteRequest;
import io.remit.http.ApiException;
import io.remit.kit.client.DependencyErrorException;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import io.remit.payments.api.PaymentView;
import io.remit.payments.core.EventType;
import io.remit.payments.core.NewPayment;
import io.remit.payments.core.Payment;
import io.remit.payments.core.PaymentEvent;
import io.remit.payments.core.PaymentState;
import io.remit.payments.db.PaymentStore;
import io.remit.payments.idempotency.Claim;
import io.remit.payments.idempotency.IdempotencyKeys;
import io.remit.payments.idempotency.IdempotencyPolicy;
import io.remit.schools.api.School;
import io.remit.schools.api.SchoolsClient;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates payments exactly once per idempotency key, with any number of instances on one database:
 *
 * <ol>
 *   <li>claims the key ({@link IdempotencyKeys#claim}); a key already completed with the same
 *       request answers the stored response, one still in flight answers 409, one used for another
 *       request answers 422;</li>
 *   <li>asks schools for the school and fx for the quote (no database connection is held meanwhile);</li>
 *   <li>stores the payment, its first event and the key's response in one transaction, which
 *       commits only while this request still holds the claim.</li>
 * </ol>
 *
 * Whatever fails before the commit (a dependency down, a refusal, the database) releases the key
 * and leaves nothing behind, so the same request can simply be sent again. Thread-safe.
 */
public final class PaymentCreator {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentCreator.class);

    private final Jdbi jdbi;
    private final IdempotencyKeys keys;
    private final PaymentStore store;
    private final Dependencies dependencies;
    private final IdempotencyPolicy policy;
    private final ObjectMapper json;
    private final Clock clock;

    /** The services a creation asks. */
    private final FeeWaiver feeWaiver;

    public record Dependencies(SchoolsClient schools, FxClient fx) {
    }

    public PaymentCreator(Jdbi jdbi, IdempotencyKeys keys, PaymentStore store, Dependencies dependencies,
                          IdempotencyPolicy policy, ObjectMapper json, Clock clock) {
        this(jdbi, keys, store, dependencies, policy, json, clock, FeeWaiver.NONE);
    }

    public PaymentCreator(Jdbi jdbi, IdempotencyKeys keys, PaymentStore store, Dependencies dependencies,
                          IdempotencyPolicy policy, ObjectMapper json, Clock clock, FeeWaiver feeWaiver) {
        this.feeWaiver = feeWaiver;
        this.jdbi = jdbi;
        this.keys = keys;
        this.store = store;
        this.dependencies = dependencies;
        this.policy = policy;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The answer to a creation: status and JSON body as first answered.
     *
     * @param replayed whether it is the stored answer of an earlier request with the same key
     */
    public record Outcome(int status, String body, UUID paymentId, boolean replayed) {
    }

    /**
     * Creates the payment asked for under {@code key} of {@code client}, or answers what the first
     * request with that key answered.
     *
     * @param fingerprint the request's {@link io.remit.payments.idempotency.Fingerprint}
     * @throws ApiException 409 while another request with the key is in flight, 422 when the key was
     *                      used for another request or the payment is refused; dependency exceptions as they come
     */
    public Outcome create(String client, String key, String fingerprint, NewPayment request) {
        Claim claim = keys.claim(client, key, fingerprint, clock.instant(), policy.claimLease(), policy.keyTtl());
        if (claim instanceof Claim.Completed done) {
            return new Outcome(done.status(), done.body(), done.paymentId(), true);
        }
        if (claim instanceof Claim.Unrecorded orphan) {
            return recover(client, key, orphan);
        }
        if (claim instanceof Claim.InFlight) {
            throw new ApiException(409, "a request with this Idempotency-Key is still in flight; retry later",
                    List.of(new Problem("Idempotency-Key", "is in use by a request that has not finished")),
                    Map.of("Retry-After", "1"));
        }
        if (claim instanceof Claim.Mismatch) {
            throw new ApiException(422, "this Idempotency-Key was already used for a different request",
                    List.of(new Problem("Idempotency-Key", "was used with another method, path or body; use a new key")));
        }
        UUID token = ((Claim.Claimed) claim).token();
        try {
            return createClaimed(client, key, token, request);
        } catch (RuntimeException | Error e) {
            try {
                keys.release(client, key, token);
            } catch (RuntimeException releaseFailed) {
                // the claim's lease frees the key later
                LOG.warn("could not release idempotency key after a failure: {}", releaseFailed.toString());
            }
            throw e;
        }
    }

    private Outcome createClaimed(String client, String key, UUID token, NewPayment request) {
        school(request);
        Quote quote = request.quoteId() != null ? givenQuote(request) : newQuote(request, token);
        Instant now = PaymentStore.timestamp(clock.instant());
        UUID id = UUID.randomUUID();
        boolean waived = feeWaiver.waives(request.schoolId());
        Money fee = waived ? new Money(0, quote.fee().currency()) : quote.fee();
        Money total = waived ? quote.source() : quote.total();
        Payment payment = new Payment(id, request.payerId(), request.schoolId(),
                request.reference(), request.paymentMethod(), PaymentState.CREATED, quote.id(), rate(quote), quote.source(),
                fee, total, request.amount(), 1, now, now);
        PaymentEvent created = new PaymentEvent(1, EventType.CREATED, null, PaymentState.CREATED, now,
                waived ? "fee of " + quote.fee().amount() + " " + quote.fee().currency() + " waived (feature flag "
                        + FeeWaiver.FLAG + ")" : null);
        String body = write(PaymentView.of(payment, List.of(created)));
        jdbi.useTransaction(h -> {
            if (!keys.complete(h, client, key, token, id, 201, body)) {
                throw new ApiException(409, "this request took longer than its claim on the Idempotency-Key and "
                        + "another request took the key over; nothing was created by this one",
                        List.of(new Problem("Idempotency-Key", "claim expired while the request was processed")),
                        Map.of("Retry-After", "1"));
            }
            store.insert(h, payment, created, token);
        });
        LOG.info("payment {} created: {} {} to school {} for payer {} (quote {})", id, request.amount().amount(),
                request.amount().currency(), request.schoolId(), request.payerId(), quote.id());
        return new Outcome(201, body, id, false);
    }

    /**
     * The answer for a key left IN_FLIGHT although its payment committed: that payment, as it is
     * now, recorded on the key so later requests get the same answer.
     */
    private Outcome recover(String client, String key, Claim.Unrecorded orphan) {
        PaymentStore.Stored stored = store.findWithHistory(orphan.paymentId()).orElseThrow(() ->
                new IllegalStateException("payment " + orphan.paymentId() + " of an IN_FLIGHT key vanished"));
        String body = write(PaymentView.of(stored.payment(), stored.history()));
        boolean recorded = keys.recordCreated(client, key, orphan.claimToken(), orphan.paymentId(), 201, body);
        LOG.warn("idempotency key of client {} was left in flight though payment {} was created under it (a crash "
                + "before the key was completed); answering with that payment{}", client, orphan.paymentId(),
                recorded ? " and recording it on the key" : "");
        return new Outcome(201, body, orphan.paymentId(), true);
    }

    /** The school must exist, be paid in the amount's currency and accept the payment method. */
    private void school(NewPayment request) {
        Optional<School> found = dependencies.schools().find(request.schoolId());
        if (found.isEmpty()) {
            throw ApiException.invalid(List.of(new Problem("schoolId", "is not a known school: " + request.schoolId())));
        }
        School school = found.get();
        Problems problems = new Problems();
        problems.check(request.amount().currency().equals(school.currency()), "amount.currency",
                "must be the school's currency " + school.currency() + " (the amount is what the school receives)");
        problems.check(school.accepts(request.paymentMethod()), "paymentMethod",
                "is not accepted by " + school.id() + " (accepts " + (school.paymentMethods() == null ? List.of()
                        : school.paymentMethods()) + ")");
        problems.throwIfAny();
    }

    /** The quote the payer chose: it must exist, be unexpired and price exactly this payment. */
    private Quote givenQuote(NewPayment request) {
        Optional<Quote> found = dependencies.fx().find(request.quoteId());
        if (found.isEmpty()) {
            throw ApiException.invalid(List.of(new Problem("quoteId", "is not a known fx quote: " + request.quoteId())));
        }
        Quote q = found.get();
        Problems problems = new Problems();
        problems.check(!q.expired() && (q.expiresAt() == null || q.expiresAt().isAfter(clock.instant())), "quoteId",
                "has expired" + (q.expiresAt() == null ? "" : " at " + q.expiresAt()) + "; ask fx for a new quote or omit quoteId");
        problems.check(q.source() != null && request.sourceCurrency().equals(q.source().currency()), "quoteId",
                "converts from " + (q.source() == null ? "?" : q.source().currency()) + ", not from sourceCurrency "
                        + request.sourceCurrency());
        problems.check(request.amount().equals(q.target()), "quoteId", "prices a target of " + describe(q.target())
                + ", not the amount " + describe(request.amount()));
        problems.throwIfAny();
        checkConsistent(q);
        return q;
    }

    private Quote newQuote(NewPayment request, UUID token) {
        Quote q;
        try {
            q = dependencies.fx().quote(QuoteRequest.toReceive(request.sourceCurrency(), request.amount()),
                    "payments-" + token);
        } catch (DependencyErrorException e) {
            if (e.status() == 422) {
                throw ApiException.invalid(FxRefusal.problems(e.error()));
            }
            throw e;
        }
        if (q == null || !request.amount().equals(q.target()) || q.source() == null
                || !request.sourceCurrency().equals(q.source().currency())) {
            throw new ApiException(502, "fx answered a quote that does not price this payment",
                    List.of(new Problem("fx", q == null ? "answered no quote" : "answered quote " + q.id())));
        }
        checkConsistent(q);
        return q;
    }

    /** fx's quote must hold together before money is promised on it. */
    private static void checkConsistent(Quote q) {
        String problem = null;
        if (q.id() == null || q.id().isBlank()) {
            problem = "it has no id";
        } else if (q.fee() == null || q.total() == null || !q.source().currency().equals(q.fee().currency())
                || !q.source().currency().equals(q.total().currency())) {
            problem = "fee and total are not in the source currency";
        } else if (q.source().amount() < 0 || q.fee().amount() < 0
                || q.total().amount() != q.source().amount() + q.fee().amount()) {
            problem = "total is not source + fee";
        } else if (rateOrNull(q.rate()) == null) {
            problem = "its rate is not a positive decimal: " + q.rate();
        }
        if (problem != null) {
            throw new ApiException(502, "fx answered an inconsistent quote " + q.id() + ": " + problem,
                    List.of(new Problem("fx", problem)));
        }
    }

    private static String rate(Quote q) {
        return rateOrNull(q.rate()).toPlainString();
    }

    private static BigDecimal rateOrNull(String rate) {
        try {
            BigDecimal r = new BigDecimal(rate);
            return r.signum() > 0 ? r : null;
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    private static String describe(Money m) {
        return m == null ? "nothing" : m.amount() + " " + m.currency();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a payment as JSON", e);
        }
    }
}
