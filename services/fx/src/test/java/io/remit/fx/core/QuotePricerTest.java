package io.remit.fx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.fx.api.Money;
import io.remit.fx.api.QuoteRequest;
import io.remit.http.ApiException;
import io.remit.kit.http.Problem;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quote arithmetic on round rates: 1 USD = 0.8 GBP = 0.9 EUR = 150 JPY = 0.3 KWD = 83.5 INR; fee 50 bp. */
class QuotePricerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");

    private static QuoteTerms price(String from, String to, Long sourceAmount, Long targetAmount) {
        return QuotePricer.price(new QuoteRequest(from, to, sourceAmount, targetAmount), TestRates.PRICING, NOW);
    }

    private static List<Object> problems(QuoteRequest request) {
        try {
            QuotePricer.price(request, TestRates.PRICING, NOW);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(422);
            return List.copyOf(e.details());
        }
        throw new AssertionError("expected a 422 for " + request);
    }

    @Test
    void convertsASourceAmountAndChargesTheFeeOnTop() {
        QuoteTerms q = price("USD", "GBP", 10_000L, null); // 100.00 USD

        assertThat(q.rate()).isEqualTo("0.8");
        assertThat(q.source()).isEqualTo(Money.of(10_000, "USD"));
        assertThat(q.target()).isEqualTo(Money.of(8_000, "GBP"));
        assertThat(q.fee()).isEqualTo(Money.of(50, "USD"));
        assertThat(q.total()).isEqualTo(Money.of(10_050, "USD"));
    }

    @Test
    void aTargetAmountIsReceivedExactlyAndTheSourceIsRoundedUp() {
        // 1,000,000 JPY at 187.5 JPY per GBP = 5333.3333 GBP -> 5333.34 GBP
        QuoteTerms q = price("GBP", "JPY", null, 1_000_000L);

        assertThat(q.rate()).isEqualTo("187.5");
        assertThat(q.target()).isEqualTo(Money.of(1_000_000, "JPY"));
        assertThat(q.source()).isEqualTo(Money.of(533_334, "GBP"));
        assertThat(q.fee()).as("0.5% of 5333.34 = 26.6667, rounded up").isEqualTo(Money.of(2_667, "GBP"));
        assertThat(q.total()).isEqualTo(Money.of(536_001, "GBP"));
    }

    @Test
    void yenHaveNoMinorUnit() {
        // 12,345 JPY at 0.006666666667 USD per JPY = 82.30 USD; fee 61.725 JPY -> 62
        QuoteTerms q = price("JPY", "USD", 12_345L, null);

        assertThat(q.rate()).isEqualTo("0.006666666667");
        assertThat(q.target()).isEqualTo(Money.of(8_230, "USD"));
        assertThat(q.fee()).isEqualTo(Money.of(62, "JPY"));
        assertThat(q.total()).isEqualTo(Money.of(12_407, "JPY"));
    }

    @Test
    void dinarsHaveThreeDigits() {
        QuoteTerms toKwd = price("USD", "KWD", 100_000L, null); // 1000.00 USD = 300.000 KWD
        assertThat(toKwd.target()).isEqualTo(Money.of(300_000, "KWD"));
        assertThat(toKwd.fee()).isEqualTo(Money.of(500, "USD"));

        // 10,000.00 INR at 278.3333333 INR per KWD = 35.928144 KWD -> 35.929 KWD
        QuoteTerms fromKwd = price("KWD", "INR", null, 1_000_000L);
        assertThat(fromKwd.rate()).isEqualTo("278.3333333");
        assertThat(fromKwd.source()).isEqualTo(Money.of(35_929, "KWD"));
        assertThat(fromKwd.fee()).as("0.5% of 35.929 = 0.179645, rounded up").isEqualTo(Money.of(180, "KWD"));

        // 1,000.00 INR at 0.003592814371 KWD per INR = 3.592814371 KWD -> 3.593 KWD
        QuoteTerms inrToKwd = price("INR", "KWD", 100_000L, null);
        assertThat(inrToKwd.target()).isEqualTo(Money.of(3_593, "KWD"));
    }

    @Test
    void theReceiverSideRoundsHalfToEven() {
        // 1.25 USD per GBP: 2 pence -> 2.5 cents, 6 pence -> 7.5 cents
        assertThat(price("GBP", "USD", 2L, null).target().amount()).isEqualTo(2);
        assertThat(price("GBP", "USD", 6L, null).target().amount()).isEqualTo(8);
    }

    @Test
    void forATargetAmountTheSourceIsTheLeastThatBuysIt() {
        String[][] pairs = {{"GBP", "JPY"}, {"JPY", "KWD"}, {"KWD", "INR"}, {"INR", "EUR"}, {"EUR", "USD"}, {"USD", "KWD"}};
        for (String[] pair : pairs) {
            Currency from = TestRates.TABLE.currency(pair[0]).orElseThrow();
            Currency to = TestRates.TABLE.currency(pair[1]).orElseThrow();
            for (long target = 1; target < 3_000; target += 7) {
                QuoteTerms q = price(pair[0], pair[1], null, target);
                BigDecimal rate = new BigDecimal(q.rate());
                BigDecimal buys = BigDecimal.valueOf(q.source().amount()).multiply(rate)
                        .movePointRight(to.minorDigits() - from.minorDigits());
                BigDecimal oneLess = BigDecimal.valueOf(q.source().amount() - 1).multiply(rate)
                        .movePointRight(to.minorDigits() - from.minorDigits());
                assertThat(buys).as("%s->%s %d", pair[0], pair[1], target).isGreaterThanOrEqualTo(BigDecimal.valueOf(target));
                assertThat(oneLess).as("%s->%s %d", pair[0], pair[1], target).isLessThan(BigDecimal.valueOf(target));
                assertThat(q.target().amount()).isEqualTo(target);
            }
        }
    }

    @Test
    void theMinimumFeeOfTheSourceCurrencyApplies() {
        assertThat(price("GBP", "USD", 1_000L, null).fee()).as("0.05 GBP is below the 1.00 minimum").isEqualTo(Money.of(100, "GBP"));
        assertThat(price("USD", "GBP", 1_000L, null).fee()).as("USD has no minimum").isEqualTo(Money.of(5, "USD"));
    }

    @Test
    void theSameCurrencyOnBothSidesIsATransferAtRateOne() {
        QuoteTerms q = price("USD", "USD", 12_345L, null);
        assertThat(q.rate()).isEqualTo("1");
        assertThat(q.target()).isEqualTo(Money.of(12_345, "USD"));
        assertThat(q.fee()).isEqualTo(Money.of(62, "USD"));
    }

    @Test
    void codesAreReadInAnyCase() {
        QuoteTerms q = price(" usd", "gbp", 10_000L, null);
        assertThat(q.source().currency()).isEqualTo("USD");
        assertThat(q.target().currency()).isEqualTo("GBP");
    }

    @Test
    void validityStartsNowToTheMillisecond() {
        QuoteTerms q = price("USD", "GBP", 10_000L, null);
        assertThat(q.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
        assertThat(q.expiresAt()).isEqualTo(Instant.parse("2026-03-01T10:16:30.123Z"));
        assertThat(q.isExpiredAt(q.expiresAt().minusMillis(1))).isFalse();
        assertThat(q.isExpiredAt(q.expiresAt())).isTrue();
    }

    @Test
    void listsEveryProblemAtOnce() {
        assertThat(problems(new QuoteRequest("XYZ", null, -5L, 7L))).containsExactly(
                new Problem("sourceCurrency", "unknown currency XYZ"),
                new Problem("targetCurrency", "is required"),
                new Problem("sourceAmount", "must not be given together with targetAmount (give exactly one of them)"),
                new Problem("sourceAmount", "must be positive (minor units, e.g. 1050 for 10.50)"));
        assertThat(problems(new QuoteRequest("USD", "GBP", null, null))).containsExactly(
                new Problem("targetAmount", "is required unless sourceAmount is given (give exactly one of them)"));
        assertThat(problems(new QuoteRequest("", "EUR", 0L, null))).containsExactly(
                new Problem("sourceCurrency", "is required"),
                new Problem("sourceAmount", "must be positive (minor units, e.g. 1050 for 10.50)"));
    }

    @Test
    void amountsAboveTheMaximumAreRefusedInTheirOwnCurrency() {
        // 10,000,000 USD = 8,000,000.00 GBP = 1,500,000,000 JPY
        assertThat(price("USD", "GBP", null, 800_000_000L).target().amount()).isEqualTo(800_000_000L);
        assertThat(problems(new QuoteRequest("USD", "GBP", null, 800_000_001L))).containsExactly(new Problem("targetAmount",
                "must be at most 800000000 GBP minor units (the equivalent of 10000000 USD)"));
        assertThat(problems(new QuoteRequest("JPY", "GBP", 1_500_000_001L, null))).containsExactly(new Problem("sourceAmount",
                "must be at most 1500000000 JPY minor units (the equivalent of 10000000 USD)"));
        assertThat(problems(new QuoteRequest("KWD", "GBP", Long.MAX_VALUE, null))).hasSize(1);
    }

    @Test
    void anAmountThatConvertsToNothingIsRefused() {
        // 0.001 KWD = 0.5 JPY, which rounds (half-even) to 0
        assertThat(problems(new QuoteRequest("KWD", "JPY", 1L, null)))
                .containsExactly(new Problem("sourceAmount", "is too small: it converts to 0 JPY"));
    }

    @Test
    void pricesWithTheFeeAndValidityInForce() {
        Pricing expensive = new Pricing(TestRates.TABLE, new PricingSettings(250, Map.of(), Duration.ofSeconds(10), 10_000_000));
        QuoteTerms q = QuotePricer.price(new QuoteRequest("USD", "EUR", 10_000L, null), expensive, NOW);
        assertThat(q.fee()).isEqualTo(Money.of(250, "USD"));
        assertThat(q.expiresAt()).isEqualTo(q.createdAt().plusSeconds(10));
    }

    @Test
    void pricesWithOverriddenRates() {
        Pricing moved = new Pricing(TestRates.TABLE.withRates(Map.of("GBP", new BigDecimal("0.5"))), TestRates.SETTINGS);
        QuoteTerms q = QuotePricer.price(new QuoteRequest("USD", "GBP", 10_000L, null), moved, NOW);
        assertThat(q.rate()).isEqualTo("0.5");
        assertThat(q.target()).isEqualTo(Money.of(5_000, "GBP"));
        assertThat(moved.rates().isOverridden("GBP")).isTrue();
        assertThat(moved.rates().isOverridden("EUR")).isFalse();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new PricingSettings(-1, Map.of(), Duration.ofSeconds(60), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PricingSettings(50, Map.of(), Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PricingSettings(50, Map.of("USD", -1L), Duration.ofSeconds(60), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
