package io.remit.fx.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The round test rates (test-rates.yml: 1 USD = 0.8 GBP = 0.9 EUR = 150 JPY = 0.3 KWD = 83.5 INR). */
final class TestRates {

    static final RateTable TABLE = RatesFile.parse(resource("/test-rates.yml"), "test-rates.yml");

    /** 50 bp, GBP at least 1.00, 60 s, up to 10,000,000 USD. */
    static final PricingSettings SETTINGS = new PricingSettings(50, Map.of("GBP", 100L), Duration.ofSeconds(60), 10_000_000);

    static final Pricing PRICING = new Pricing(TABLE, SETTINGS);

    private TestRates() {
    }

    static String resource(String name) {
        try (InputStream in = TestRates.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
