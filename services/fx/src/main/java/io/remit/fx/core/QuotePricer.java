package io.remit.fx.core;

import io.remit.fx.api.Money;
import io.remit.fx.api.QuoteRequest;
import io.remit.kit.http.Problems;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * Prices a quote: a pure function of the request, the {@link Pricing} in force and the time. All
 * arithmetic is {@link BigDecimal} on integer minor units; no floating point anywhere.
 *
 * <p>Rounding, so that anyone can check a quote from its rate:
 * <ul>
 *   <li>rate = rate(target) / rate(source), {@value RateTable#RATE_DIGITS} significant digits,
 *       half-even; the amounts below use this rounded rate;</li>
 *   <li>given {@code sourceAmount}: target = source x rate, rounded half-even to the target's minor
 *       unit;</li>
 *   <li>given {@code targetAmount}: the target is exactly that, and source = target / rate rounded
 *       up (ceiling) to the source's minor unit, so the receiver is never short;</li>
 *   <li>fee = source x feeBasisPoints / 10000 rounded up to the source's minor unit, at least the
 *       source currency's minimum fee; total = source + fee.</li>
 * </ul>
 *
 * The same currency on both sides is allowed: rate 1, target = source, the fee still applies (it
 * is the price of the transfer, not a spread).
 */
public final class QuotePricer {

    /** No amount, given or computed, may reach this many minor units. */
    public static final long AMOUNT_CEILING = 1_000_000_000_000_000L;

    private static final BigDecimal BASIS = BigDecimal.valueOf(10_000);

    private QuotePricer() {
    }

    /**
     * The quote for {@code request}, priced at {@code now}.
     *
     * @throws io.remit.http.ApiException 422 listing every problem of the request, with the
     *                                        fields {@code sourceCurrency}, {@code targetCurrency},
     *                                        {@code sourceAmount}, {@code targetAmount}
     */
    public static QuoteTerms price(QuoteRequest request, Pricing pricing, Instant now) {
        RateTable rates = pricing.rates();
        PricingSettings settings = pricing.settings();
        Problems problems = new Problems();
        Optional<Currency> source = currency(problems, "sourceCurrency", request.sourceCurrency(), rates);
        Optional<Currency> target = currency(problems, "targetCurrency", request.targetCurrency(), rates);
        Long sourceAmount = request.sourceAmount();
        Long targetAmount = request.targetAmount();
        if (sourceAmount == null && targetAmount == null) {
            problems.add("targetAmount", "is required unless sourceAmount is given (give exactly one of them)");
        } else if (sourceAmount != null && targetAmount != null) {
            problems.add("sourceAmount", "must not be given together with targetAmount (give exactly one of them)");
        }
        amount(problems, "sourceAmount", sourceAmount, source, pricing);
        amount(problems, "targetAmount", targetAmount, target, pricing);
        problems.throwIfAny();

        Currency from = source.orElseThrow();
        Currency to = target.orElseThrow();
        BigDecimal rate = rates.crossRate(from.code(), to.code());
        long sourceMinor;
        long targetMinor;
        if (sourceAmount != null) {
            sourceMinor = sourceAmount;
            BigDecimal exact = BigDecimal.valueOf(sourceAmount).multiply(rate).movePointRight(to.minorDigits() - from.minorDigits());
            targetMinor = bounded(problems, "sourceAmount", exact.setScale(0, RoundingMode.HALF_EVEN));
            if (problems.isEmpty() && targetMinor == 0) {
                problems.add("sourceAmount", "is too small: it converts to 0 " + to.code());
            }
        } else {
            targetMinor = targetAmount;
            BigDecimal scaled = BigDecimal.valueOf(targetAmount).movePointRight(from.minorDigits() - to.minorDigits());
            sourceMinor = bounded(problems, "targetAmount", scaled.divide(rate, 0, RoundingMode.CEILING));
        }
        problems.throwIfAny();
        long percentageFee = BigDecimal.valueOf(sourceMinor).multiply(BigDecimal.valueOf(settings.feeBasisPoints()))
                .divide(BASIS, 0, RoundingMode.CEILING).longValueExact();
        long fee = Math.max(percentageFee, settings.minimumFee(from.code()));
        Instant createdAt = now.truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = createdAt.plusMillis(settings.quoteTtl().toMillis());
        return new QuoteTerms(Money.of(sourceMinor, from.code()), Money.of(targetMinor, to.code()),
                Money.of(fee, from.code()), rate.toPlainString(), createdAt, expiresAt);
    }

    /**
     * The largest amount accepted in {@code currency}, in its minor units: {@code maxAmount} base
     * units at the currency's rate, rounded down.
     */
    public static long limit(Currency currency, Pricing pricing) {
        BigDecimal limit = BigDecimal.valueOf(pricing.settings().maxAmount())
                .multiply(pricing.rates().rate(currency.code()))
                .movePointRight(currency.minorDigits())
                .setScale(0, RoundingMode.FLOOR);
        return limit.min(BigDecimal.valueOf(AMOUNT_CEILING - 1)).longValueExact();
    }

    private static Optional<Currency> currency(Problems problems, String field, String code, RateTable rates) {
        if (!problems.require(code, field)) {
            return Optional.empty();
        }
        String normalised = code.strip().toUpperCase(Locale.ROOT);
        Optional<Currency> currency = rates.currency(normalised);
        problems.check(currency.isPresent(), field, "unknown currency " + code.strip());
        return currency;
    }

    private static void amount(Problems problems, String field, Long amount, Optional<Currency> currency, Pricing pricing) {
        if (amount == null) {
            return;
        }
        if (!problems.check(amount > 0, field, "must be positive (minor units, e.g. 1050 for 10.50)")) {
            return;
        }
        currency.ifPresent(c -> {
            long limit = limit(c, pricing);
            problems.check(amount <= limit, field, "must be at most " + limit + " " + c.code() + " minor units (the equivalent of "
                    + pricing.settings().maxAmount() + " " + pricing.rates().base() + ")");
        });
    }

    private static long bounded(Problems problems, String field, BigDecimal minor) {
        if (minor.compareTo(BigDecimal.valueOf(AMOUNT_CEILING)) >= 0) {
            problems.add(field, "converts to more than fx can handle (" + AMOUNT_CEILING + " minor units)");
            return 0;
        }
        return minor.longValueExact();
    }
}
