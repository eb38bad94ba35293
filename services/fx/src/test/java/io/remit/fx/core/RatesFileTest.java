package io.remit.fx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RatesFileTest {

    @Test
    void theBundledSeedHasTheCurrenciesPaymentsNeedWithTheirMinorUnits() {
        RateTable rates = RatesFile.load("");
        assertThat(rates.base()).isEqualTo("USD");
        assertThat(rates.currencies()).extracting(Currency::code).contains("USD", "EUR", "GBP", "JPY", "INR", "CNY", "AUD",
                "CAD", "CHF", "SGD", "HKD", "NGN", "BRL", "MXN", "KWD");
        assertThat(rates.currency("JPY").orElseThrow().minorDigits()).isZero();
        assertThat(rates.currency("KWD").orElseThrow().minorDigits()).isEqualTo(3);
        assertThat(rates.currency("GBP").orElseThrow().minorDigits()).isEqualTo(2);
        assertThat(rates.rate("USD")).isEqualByComparingTo(BigDecimal.ONE);
    }

    @Test
    void theBundledSeedIsTheFileInConfigs() throws Exception {
        Path configs = Path.of("../../configs/fx/rates.yml");
        assertThat(TestRates.resource(RatesFile.BUNDLED)).isEqualTo(Files.readString(configs));
        assertThat(RatesFile.load(configs.toString()).size()).isEqualTo(RatesFile.load(null).size());
    }

    @Test
    void aBadFileIsRefusedWithEveryProblem() {
        String yaml = """
                base: EUR
                currencies:
                  USD: {name: US Dollar, minorDigits: 2, rate: "1"}
                  GBP: {name: "", minorDigits: 7, rate: "-0.8"}
                  yen: {name: Yen, minorDigits: 0, rate: "lots"}
                """;
        assertThatThrownBy(() -> RatesFile.parse(yaml, "bad.yml"))
                .isInstanceOfSatisfying(InvalidSeedException.class, e -> assertThat(e.problems()).containsExactly(
                        "currencies.GBP.name: is required",
                        "currencies.GBP.minorDigits: must be 0 to 4",
                        "currencies.GBP.rate: " + RatesFile.RATE_RULE,
                        "currencies.yen: not an ISO 4217 code (three capital letters)",
                        "currencies.yen.rate: " + RatesFile.RATE_RULE,
                        "base: EUR is not among the currencies"))
                .hasMessageStartingWith("bad.yml has 6 problems");
    }

    @Test
    void theBaseMustBeOneAndTyposAreErrors() {
        assertThatThrownBy(() -> RatesFile.parse("base: USD\ncurrencies:\n  USD: {name: D, minorDigits: 2, rate: \"2\"}\n", "x"))
                .hasMessageContaining("currencies.USD.rate: the base currency's rate must be \"1\"");
        assertThatThrownBy(() -> RatesFile.parse("base: USD\ncurrencies:\n  USD: {name: D, digits: 2, rate: \"1\"}\n", "x"))
                .isInstanceOf(InvalidSeedException.class).hasMessageContaining("digits");
        assertThatThrownBy(() -> RatesFile.load("/no/such/rates.yml")).isInstanceOf(InvalidSeedException.class)
                .hasMessageContaining("cannot read it");
    }
}
