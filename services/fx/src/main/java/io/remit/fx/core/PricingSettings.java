package io.remit.fx.core;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How fx charges and how long a quote lasts.
 *
 * @param feeBasisPoints fee in hundredths of a percent of the source amount (50 = 0.5%), 0 to 10000
 * @param minimumFees    per source currency code, the least fee in its minor units; absent: none
 * @param quoteTtl       how long a quote stays usable after it is priced
 * @param maxAmount      the largest amount accepted, in major units of the base currency
 *                       (an amount in another currency is compared at its rate)
 */
public record PricingSettings(int feeBasisPoints, Map<String, Long> minimumFees, Duration quoteTtl, long maxAmount) {

    public static final int MAX_FEE_BASIS_POINTS = 10_000;
    public static final Duration MIN_TTL = Duration.ofSeconds(1);
    public static final Duration MAX_TTL = Duration.ofHours(1);

    public PricingSettings {
        if (feeBasisPoints < 0 || feeBasisPoints > MAX_FEE_BASIS_POINTS) {
            throw new IllegalArgumentException("feeBasisPoints must be 0 to " + MAX_FEE_BASIS_POINTS + ": " + feeBasisPoints);
        }
        if (quoteTtl.compareTo(MIN_TTL) < 0 || quoteTtl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("quoteTtl must be 1s to 1h: " + quoteTtl);
        }
        if (maxAmount < 1) {
            throw new IllegalArgumentException("maxAmount must be positive: " + maxAmount);
        }
        minimumFees = Map.copyOf(new TreeMap<>(minimumFees));
        minimumFees.forEach((code, fee) -> {
            if (fee < 0) {
                throw new IllegalArgumentException("minimumFees." + code + " must not be negative: " + fee);
            }
        });
    }

    /** The least fee for {@code currency}, in its minor units; 0 when it has none. */
    public long minimumFee(String currency) {
        return minimumFees.getOrDefault(currency, 0L);
    }
}
