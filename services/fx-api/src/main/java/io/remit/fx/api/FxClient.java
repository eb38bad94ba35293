package io.remit.fx.api;

import io.remit.kit.client.Call;
import io.remit.kit.client.DependencyErrorException;
import io.remit.kit.client.DependencyUnavailableException;
import io.remit.kit.client.ServiceClient;
import java.util.Optional;

/**
 * The typed client of fx, on the kit's resilient {@link ServiceClient} (discovery, load
 * balancing, timeouts, retries where safe, breaker, bulkhead, tracing). Errors:
 * {@link DependencyUnavailableException} when fx cannot answer, {@link DependencyErrorException}
 * with fx's {@code {code, message, details}} when it refuses.
 */
public final class FxClient {

    public static final String SERVICE = "fx";

    private final ServiceClient client;

    public FxClient(ServiceClient client) {
        this.client = client;
    }

    /**
     * Prices a quote. Sent with an idempotency key so it may be retried: quoting has no side effect
     * but a new id, so the key is only there to make the retry safe by the kit's rules.
     */
    public Quote quote(QuoteRequest request, String idempotencyKey) {
        return client.call(Call.post("/quotes", request).withIdempotencyKey(idempotencyKey), Quote.class);
    }

    /** The quote with this id; empty when fx does not know it (404). */
    public Optional<Quote> find(String quoteId) {
        try {
            return Optional.of(client.call(Call.get("/quotes/" + quoteId), Quote.class));
        } catch (DependencyErrorException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
