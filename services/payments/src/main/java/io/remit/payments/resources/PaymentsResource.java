package io.remit.payments.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.http.ApiException;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import io.remit.kit.trace.Spans;
import io.remit.payments.CreationPause;
import io.remit.payments.PaymentCreator;
import io.remit.payments.api.EventRequest;
import io.remit.payments.api.PaymentPage;
import io.remit.payments.api.PaymentView;
import io.remit.payments.core.EventType;
import io.remit.payments.core.NewPayment;
import io.remit.payments.core.PaymentRequestValidator;
import io.remit.payments.core.UnicodeText;
import io.remit.payments.db.PageCursor;
import io.remit.payments.db.PaymentStore;
import io.remit.payments.idempotency.Fingerprint;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The payments API. {@code POST /payments} is idempotent by key (see {@link PaymentCreator});
 * events move a payment through its state machine; lists page by cursor. Thread-safe.
 */
@Path("/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentsResource {

    /** Header on a replayed answer: it is the stored answer of an earlier request with the same key. */
    public static final String REPLAYED = "Idempotent-Replayed";
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final int MAX_REASON = 500;

    private final PaymentCreator creator;
    private final PaymentStore store;
    private final CreationPause pause;
    private final ObjectMapper json;
    private final Clock clock;
    private final Spans spans;

    /** @param spans the service's tracer: the request's span is tagged with the payment id */
    public PaymentsResource(PaymentCreator creator, PaymentStore store, CreationPause pause, ObjectMapper json, Clock clock,
                            Spans spans) {
        this.spans = spans;
        this.creator = creator;
        this.store = store;
        this.pause = pause;
        this.json = json;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(CallerHeaders.IDEMPOTENCY_KEY) String keyHeader,
                           @HeaderParam(CallerHeaders.CLIENT_ID) String clientHeader, JsonNode body) {
        String key = CallerHeaders.idempotencyKey(keyHeader);
        String client = CallerHeaders.client(clientHeader);
        Problems problems = new Problems();
        NewPayment request = PaymentRequestValidator.validate(body, problems);
        problems.throwIfAny();
        if (pause.pauses(request.schoolId())) {
            throw new ApiException(503, "new payments to " + request.schoolId() + " are paused (flag "
                    + CreationPause.FLAG + "); retry later", List.of(), Map.of("Retry-After", "60"));
        }
        String fingerprint = Fingerprint.of("POST", "/payments", body, json);
        PaymentCreator.Outcome outcome = creator.create(client, key, fingerprint, request);
        Response.ResponseBuilder r = Response.status(outcome.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(outcome.body());
        if (outcome.paymentId() != null) {
            spans.tag("payment.id", outcome.paymentId().toString());
            r.location(URI.create("/payments/" + outcome.paymentId()));
        }
        if (outcome.replayed()) {
            r.header(REPLAYED, "true");
        }
        return r.build();
    }

    @GET
    @Path("{id}")
    public PaymentView get(@PathParam("id") String id) {
        spans.tag("payment.id", id);
        return uuid(id).flatMap(store::findWithHistory)
                .map(s -> PaymentView.of(s.payment(), s.history()))
                .orElseThrow(() -> ApiException.notFound("payment " + id));
    }

    /** Payments of a payer and/or a school (one at least), newest first, {@code limit} (1-100, default 20) a page. */
    @GET
    public PaymentPage list(@QueryParam("payerId") String payerId, @QueryParam("schoolId") String schoolId,
                            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Problems problems = new Problems();
        String payer = blankToNull(payerId);
        String school = blankToNull(schoolId);
        problems.check(payer != null || school != null, "payerId", "payerId or schoolId is required");
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                size = -1;
            }
            problems.check(size >= 1 && size <= MAX_LIMIT, "limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        Long after = null;
        if (cursor != null && !cursor.isBlank()) {
            Optional<Long> decoded = PageCursor.decode(cursor.strip());
            problems.check(decoded.isPresent(), "cursor", "is not a cursor from a previous page");
            after = decoded.orElse(null);
        }
        if (!problems.isEmpty()) {
            throw new ApiException(400, "invalid query: " + problems.list().get(0).field() + " "
                    + problems.list().get(0).reason(), problems.list());
        }
        PaymentStore.Page page = store.list(payer, school, after, size);
        return new PaymentPage(page.payments().stream().map(p -> PaymentView.of(p, null)).toList(),
                page.nextAfter() == null ? null : PageCursor.encode(page.nextAfter()));
    }

    /**
     * Moves the payment through its state machine: 200 with the payment and its history; 409 when
     * the event is not legal in its current state (nothing changes); 404 for no such payment.
     */
    @POST
    @Path("{id}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    public PaymentView event(@PathParam("id") String id, EventRequest body) {
        spans.tag("payment.id", id);
        Problems problems = new Problems();
        EventType type = null;
        if (problems.require(body == null ? null : body.type(), "type")) {
            type = EventType.fromWire(body.type()).orElse(null);
            problems.check(type != null && type != EventType.CREATED, "type", "must be one of " + postable());
        }
        String reason = body == null ? null : blankToNull(body.reason());
        if (reason != null) {
            String malformed = UnicodeText.malformed(reason);
            if (malformed != null) {
                problems.add("reason", malformed);
            } else {
                problems.check(UnicodeText.length(reason) <= MAX_REASON, "reason",
                        "must be at most " + MAX_REASON + " characters");
            }
        }
        UUID paymentId = uuid(id).orElseThrow(() -> ApiException.notFound("payment " + id));
        problems.throwIfAny();
        PaymentStore.Transition t = store.apply(paymentId, type, reason, clock.instant());
        if (t instanceof PaymentStore.Transition.Applied applied) {
            return PaymentView.of(applied.payment().payment(), applied.payment().history());
        }
        if (t instanceof PaymentStore.Transition.Illegal illegal) {
            List<String> legal = illegal.legal().stream().map(EventType::wireName).toList();
            throw ApiException.conflict("event " + type.wireName() + " is not allowed in state " + illegal.state()
                            + (legal.isEmpty() ? " (a final state)" : "; allowed: " + String.join(", ", legal)),
                    List.of(new Problem("type", "is not allowed in state " + illegal.state().name() + "; allowed: "
                            + (legal.isEmpty() ? "none" : String.join(", ", legal)))));
        }
        throw ApiException.notFound("payment " + id);
    }

    private static List<String> postable() {
        return Arrays.stream(EventType.values()).filter(e -> e != EventType.CREATED).map(EventType::wireName).toList();
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
