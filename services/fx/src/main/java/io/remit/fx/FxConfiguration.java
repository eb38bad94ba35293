package io.remit.fx;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.remit.fx.core.PricingSettings;
import io.remit.fx.core.QuotePricer;
import io.remit.kit.RemitConfiguration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * fx's configuration: the kit's ({@code server}, {@code logging}, {@code remit}, ...) plus the
 * pricing defaults. The pricing values can be overridden at runtime from etcd (see
 * {@link io.remit.fx.core.LivePricing}); these are what applies when etcd has no override.
 */
public class FxConfiguration extends RemitConfiguration {

    /** The dev signing key: fine on a laptop, a warning at start anywhere. */
    public static final String DEV_SIGNING_KEY = "remit-fx-dev-quote-signing-key-do-not-use-in-production";

    /** Seed rates file; empty: the copy of {@code configs/fx/rates.yml} bundled in the jar. */
    @JsonProperty
    public String ratesFile = "";

    /**
     * HMAC key that signs quote ids; every fx instance must have the same one, or an instance
     * answers 404 for the quotes of the others. Set it from the environment ({@code ${FX_QUOTE_KEY}}).
     */
    @JsonProperty
    @NotNull
    @Size(min = 32, message = "must be at least 32 characters")
    public String quoteSigningKey = DEV_SIGNING_KEY;

    /** Fee in basis points of the source amount (50 = 0.5%). Runtime key {@code feeBasisPoints}. */
    @JsonProperty
    @Min(0)
    @Max(PricingSettings.MAX_FEE_BASIS_POINTS)
    public int feeBasisPoints = 50;

    /** Least fee per source currency, in its minor units, e.g. {@code {USD: 100}}. Runtime keys {@code minimumFee.<CODE>}. */
    @JsonProperty
    @NotNull
    public Map<String, @NotNull @Min(0) @Max(QuotePricer.AMOUNT_CEILING - 1) Long> minimumFees = new LinkedHashMap<>();

    /** How long a quote is usable. Runtime key {@code quoteTtl}. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    public Duration quoteTtl = Duration.seconds(60);

    /** Largest amount accepted, in major units of the base currency. Runtime key {@code maxAmount}. */
    @JsonProperty
    @Min(1)
    public long maxAmount = 10_000_000;

    /** The pricing settings of this file, before runtime overrides. */
    public PricingSettings pricingDefaults() {
        return new PricingSettings(feeBasisPoints, minimumFees, quoteTtl.toJavaDuration(), maxAmount);
    }
}
