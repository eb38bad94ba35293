package io.remit.fx.core;

import io.remit.kit.RuntimeConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pricing in force now: the seed rates and the configured settings, with the runtime overrides
 * from etcd ({@code /remit/config/fx/...}) on top, read at each call so that a change applies to
 * the next quote without a restart. Keys, relative to {@code /remit/config/fx/}:
 *
 * <ul>
 *   <li>{@code rates.<CODE>}: the mid rate of a known currency, units per base unit, e.g.
 *       {@code rates.GBP = 0.79} (the base currency's own rate cannot be changed);</li>
 *   <li>{@code feeBasisPoints}: 0 to 10000;</li>
 *   <li>{@code minimumFee.<CODE>}: least fee in minor units of that source currency, 0 or more;</li>
 *   <li>{@code quoteTtl}: {@code 90s}, {@code 2m}, {@code PT90S}; 1s to 1h;</li>
 *   <li>{@code maxAmount}: largest amount, in major units of the base currency.</li>
 * </ul>
 *
 * A value that does not parse or is out of range is ignored (the file's value applies) with one
 * warning per key and value. Thread-safe; reads do not block.
 */
public final class LivePricing {

    public static final String RATE_PREFIX = "rates.";
    public static final String FEE_BASIS_POINTS = "feeBasisPoints";
    public static final String MINIMUM_FEE_PREFIX = "minimumFee.";
    public static final String QUOTE_TTL = "quoteTtl";
    public static final String MAX_AMOUNT = "maxAmount";

    private static final Logger LOG = LoggerFactory.getLogger(LivePricing.class);

    private final RateTable seed;
    private final PricingSettings defaults;
    private final RuntimeConfig runtime;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public LivePricing(RateTable seed, PricingSettings defaults, RuntimeConfig runtime) {
        this.seed = seed;
        this.defaults = defaults;
        this.runtime = runtime;
    }

    /** The seed table, without overrides. */
    public RateTable seed() {
        return seed;
    }

    /** The pricing in force now. */
    public Pricing current() {
        Map<String, String> values = runtime.values();
        if (values.isEmpty()) {
            return new Pricing(seed, defaults);
        }
        Map<String, BigDecimal> rates = new TreeMap<>();
        Map<String, Long> minimumFees = new TreeMap<>(defaults.minimumFees());
        values.forEach((key, value) -> {
            if (key.startsWith(RATE_PREFIX)) {
                rateOverride(key, value).ifPresent(rate -> rates.put(key.substring(RATE_PREFIX.length()), rate));
            } else if (key.startsWith(MINIMUM_FEE_PREFIX)) {
                String code = key.substring(MINIMUM_FEE_PREFIX.length());
                Long fee = seed.currency(code).isEmpty() ? null : parseLong(value, 0, QuotePricer.AMOUNT_CEILING - 1);
                if (fee == null) {
                    warn(key, value, "a known currency and a fee of 0 or more minor units");
                } else {
                    minimumFees.put(code, fee);
                }
            }
        });
        int fee = defaults.feeBasisPoints();
        if (values.containsKey(FEE_BASIS_POINTS)) {
            Long bps = parseLong(values.get(FEE_BASIS_POINTS), 0, PricingSettings.MAX_FEE_BASIS_POINTS);
            if (bps == null) {
                warn(FEE_BASIS_POINTS, values.get(FEE_BASIS_POINTS), "0 to " + PricingSettings.MAX_FEE_BASIS_POINTS);
            } else {
                fee = bps.intValue();
            }
        }
        Duration ttl = defaults.quoteTtl();
        if (values.containsKey(QUOTE_TTL)) {
            Duration d = runtime.getDuration(QUOTE_TTL, null); // null: unparsable, and the overlay warned
            if (d != null && (d.compareTo(PricingSettings.MIN_TTL) < 0 || d.compareTo(PricingSettings.MAX_TTL) > 0)) {
                warn(QUOTE_TTL, values.get(QUOTE_TTL), "a duration from 1s to 1h, e.g. 90s");
            } else if (d != null) {
                ttl = d;
            }
        }
        long maxAmount = defaults.maxAmount();
        if (values.containsKey(MAX_AMOUNT)) {
            Long max = parseLong(values.get(MAX_AMOUNT), 1, Long.MAX_VALUE);
            if (max == null) {
                warn(MAX_AMOUNT, values.get(MAX_AMOUNT), "a positive whole number");
            } else {
                maxAmount = max;
            }
        }
        return new Pricing(seed.withRates(rates), new PricingSettings(fee, minimumFees, ttl, maxAmount));
    }

    private Optional<BigDecimal> rateOverride(String key, String value) {
        String code = key.substring(RATE_PREFIX.length());
        if (seed.currency(code).isEmpty()) {
            warn(key, value, "the rate of a known currency (" + String.join(", ", codes()) + ")");
            return Optional.empty();
        }
        if (code.equals(seed.base())) {
            warn(key, value, "not the base currency, whose rate is 1 by definition");
            return Optional.empty();
        }
        BigDecimal rate = RatesFile.parseRate(value);
        if (rate == null) {
            warn(key, value, "a decimal from " + RatesFile.MIN_RATE.toPlainString() + " to "
                    + RatesFile.MAX_RATE.toPlainString());
            return Optional.empty();
        }
        return Optional.of(rate);
    }

    private Iterable<String> codes() {
        return seed.currencies().stream().map(Currency::code).toList();
    }

    private void warn(String key, String value, String expected) {
        if (warned.add(key + "\u0000" + value)) {
            LOG.warn("runtime config fx {} = '{}' ignored: expected {}; the configured value applies", key, value, expected);
        }
    }

    private static Long parseLong(String text, long min, long max) {
        try {
            long v = Long.parseLong(text.strip());
            return v >= min && v <= max ? v : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
