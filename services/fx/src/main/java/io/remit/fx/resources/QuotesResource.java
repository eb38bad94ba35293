package io.remit.fx.resources;

import io.remit.fx.api.Quote;
import io.remit.fx.api.QuoteRequest;
import io.remit.fx.core.LivePricing;
import io.remit.fx.core.QuotePricer;
import io.remit.fx.core.QuoteSigner;
import io.remit.fx.core.QuoteTerms;
import io.remit.http.ApiException;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Quotes: {@code POST /quotes} prices one (201), {@code GET /quotes/{id}} reads it back with
 * {@code expired} computed now, {@code POST /quotes/{id}/accept} confirms it is still usable (200)
 * or answers 410 Gone. Ids are signed ({@link QuoteSigner}), so every instance with the same key
 * answers for every quote; nothing is stored. Thread-safe.
 */
@Path("/quotes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class QuotesResource {

    private final LivePricing pricing;
    private final QuoteSigner signer;
    private final Clock clock;

    public QuotesResource(LivePricing pricing, QuoteSigner signer, Clock clock) {
        this.pricing = pricing;
        this.signer = signer;
        this.clock = clock;
    }

    /**
     * Prices a quote at the rates and fee in force now. An {@code Idempotency-Key} header is
     * accepted and needs no handling: pricing changes nothing, a repeat only yields another id.
     */
    @POST
    public Response create(QuoteRequest request) {
        if (request == null) {
            new Problems().add("body", "is required: {sourceCurrency, targetCurrency, sourceAmount | targetAmount}")
                    .throwIfAny();
        }
        Instant now = clock.instant();
        QuoteTerms terms = QuotePricer.price(request, pricing.current(), now);
        String id = signer.idOf(terms);
        return Response.created(UriBuilder.fromPath("/quotes/{id}").build(id)).entity(terms.toQuote(id, now)).build();
    }

    /** The quote, with {@code expired} as of now; 404 for an id fx did not sign. */
    @GET
    @Path("/{id}")
    public Quote get(@PathParam("id") String id) {
        return terms(id).toQuote(id, clock.instant());
    }

    /**
     * Confirms that the quote can be used now: 200 with the quote while it is valid, 410 Gone
     * once it has expired (details: {@code id}, {@code expiresAt}). It reserves nothing and may be
     * repeated; the caller (payments) makes the payment itself happen once.
     */
    @POST
    @Path("/{id}/accept")
    public Quote accept(@PathParam("id") String id) {
        QuoteTerms terms = terms(id);
        Instant now = clock.instant();
        if (terms.isExpiredAt(now)) {
            throw new ApiException(410, "quote expired at " + terms.expiresAt() + " ("
                    + Duration.between(terms.expiresAt(), now).toSeconds() + "s ago); ask for a new quote",
                    List.of(new Problem("id", "quote " + id + " expired at " + terms.expiresAt())));
        }
        return terms.toQuote(id, now);
    }

    private QuoteTerms terms(String id) {
        return signer.read(id).orElseThrow(() -> ApiException.notFound("quote"));
    }
}
