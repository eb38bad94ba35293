package io.remit.fx.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The currencies fx prices and their mid-market rates, each as units of the currency per 1 unit of
 * the {@link #base()} currency (whose rate is exactly 1). Immutable and thread-safe.
 */
public final class RateTable {

    /** Significant digits of a quoted cross rate; the amounts of a quote are computed from the rounded rate. */
    public static final int RATE_DIGITS = 10;

    private static final MathContext RATE_CONTEXT = new MathContext(RATE_DIGITS, RoundingMode.HALF_EVEN);

    private final String base;
    private final Map<String, Currency> currencies;
    private final Map<String, BigDecimal> rates;
    private final Set<String> overridden;

    /**
     * @param rates units of each currency per base unit; every currency needs one, all positive
     * @throws IllegalArgumentException when the base is unknown or its rate is not 1, or a rate is
     *                                  missing or not positive
     */
    public RateTable(String base, Collection<Currency> currencies, Map<String, BigDecimal> rates) {
        this(base, index(currencies), new TreeMap<>(rates), Set.of());
    }

    private RateTable(String base, Map<String, Currency> currencies, Map<String, BigDecimal> rates, Set<String> overridden) {
        if (!currencies.containsKey(base)) {
            throw new IllegalArgumentException("base currency " + base + " is not among the currencies");
        }
        for (String code : currencies.keySet()) {
            BigDecimal rate = rates.get(code);
            if (rate == null || rate.signum() <= 0) {
                throw new IllegalArgumentException("currency " + code + " needs a positive rate, has " + rate);
            }
        }
        if (rates.get(base).compareTo(BigDecimal.ONE) != 0) {
            throw new IllegalArgumentException("the base currency's rate must be 1, is " + rates.get(base));
        }
        this.base = base;
        this.currencies = Collections.unmodifiableMap(currencies);
        this.rates = Collections.unmodifiableMap(rates);
        this.overridden = Collections.unmodifiableSet(new TreeSet<>(overridden));
    }

    private static Map<String, Currency> index(Collection<Currency> currencies) {
        Map<String, Currency> byCode = new TreeMap<>();
        for (Currency c : currencies) {
            if (byCode.put(c.code(), c) != null) {
                throw new IllegalArgumentException("currency " + c.code() + " is listed twice");
            }
        }
        return byCode;
    }

    /**
     * This table with some rates replaced (runtime overrides). Overrides of unknown currencies or of
     * the base currency must have been filtered out by the caller.
     */
    public RateTable withRates(Map<String, BigDecimal> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, BigDecimal> merged = new TreeMap<>(rates);
        merged.putAll(overrides);
        Set<String> marked = new TreeSet<>(overridden);
        marked.addAll(overrides.keySet());
        return new RateTable(base, new TreeMap<>(currencies), merged, marked);
    }

    public String base() {
        return base;
    }

    /** Every currency, ordered by code. */
    public Collection<Currency> currencies() {
        return currencies.values();
    }

    public Optional<Currency> currency(String code) {
        return Optional.ofNullable(code == null ? null : currencies.get(code));
    }

    public int size() {
        return currencies.size();
    }

    /** Units of {@code code} per base unit. */
    public BigDecimal rate(String code) {
        BigDecimal rate = rates.get(code);
        if (rate == null) {
            throw new IllegalArgumentException("unknown currency " + code);
        }
        return rate;
    }

    /** Whether the rate of {@code code} comes from a runtime override rather than the seed. */
    public boolean isOverridden(String code) {
        return overridden.contains(code);
    }

    /** The currencies whose rates are overridden, ordered by code. */
    public Set<String> overridden() {
        return overridden;
    }

    /**
     * Units of {@code target} per unit of {@code source} (both major units): {@code rate(target) /
     * rate(source)}, rounded to {@value #RATE_DIGITS} significant digits, half-even, without
     * trailing zeros. Exactly 1 for the same currency.
     */
    public BigDecimal crossRate(String source, String target) {
        if (source.equals(target)) {
            return BigDecimal.ONE;
        }
        return rate(target).divide(rate(source), RATE_CONTEXT).stripTrailingZeros();
    }
}
