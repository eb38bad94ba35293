package io.remit.fx.resources;

import io.remit.fx.core.Currency;
import io.remit.fx.core.LivePricing;
import io.remit.fx.core.RateTable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /currencies}: every currency fx prices, with the mid rate in force now. Thread-safe. */
@Path("/currencies")
@Produces(MediaType.APPLICATION_JSON)
public final class CurrenciesResource {

    /**
     * @param base       the currency every rate is quoted against
     * @param currencies ordered by code
     */
    public record CurrencyList(String base, List<CurrencyRate> currencies) {
    }

    /**
     * @param code        ISO 4217
     * @param name        display name
     * @param minorDigits digits of the minor unit (amounts are in minor units)
     * @param rate        units per 1 base unit, decimal text
     * @param source      {@code seed} (the rates file) or {@code runtime} (overridden in etcd)
     */
    public record CurrencyRate(String code, String name, int minorDigits, String rate, String source) {
    }

    private final LivePricing pricing;

    public CurrenciesResource(LivePricing pricing) {
        this.pricing = pricing;
    }

    @GET
    public CurrencyList list() {
        RateTable rates = pricing.current().rates();
        List<CurrencyRate> list = rates.currencies().stream()
                .map((Currency c) -> new CurrencyRate(c.code(), c.name(), c.minorDigits(),
                        rates.rate(c.code()).toPlainString(), rates.isOverridden(c.code()) ? "runtime" : "seed"))
                .toList();
        return new CurrencyList(rates.base(), list);
    }
}
