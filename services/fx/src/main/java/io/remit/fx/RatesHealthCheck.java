package io.remit.fx;

import com.codahale.metrics.health.HealthCheck;
import io.remit.fx.core.LivePricing;
import io.remit.fx.core.RateTable;

/**
 * Critical: fx has rates to price with. Healthy with the number of currencies, the base and which
 * rates are overridden at runtime; unhealthy if the table is empty or pricing fails.
 */
final class RatesHealthCheck extends HealthCheck {

    private final LivePricing pricing;

    RatesHealthCheck(LivePricing pricing) {
        this.pricing = pricing;
    }

    @Override
    protected Result check() {
        RateTable rates = pricing.current().rates();
        if (rates.size() == 0) {
            return Result.unhealthy("no rates loaded");
        }
        return Result.builder().healthy()
                .withMessage(rates.size() + " currencies, base " + rates.base()
                        + (rates.overridden().isEmpty() ? "" : ", runtime rates for " + String.join(", ", rates.overridden())))
                .withDetail("currencies", rates.size())
                .withDetail("base", rates.base())
                .withDetail("runtimeRates", rates.overridden())
                .build();
    }
}
