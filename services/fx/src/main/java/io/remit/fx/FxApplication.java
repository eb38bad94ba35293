package io.remit.fx;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.remit.fx.core.LivePricing;
import io.remit.fx.core.QuoteSigner;
import io.remit.fx.core.RateTable;
import io.remit.fx.core.RatesFile;
import io.remit.fx.resources.CurrenciesResource;
import io.remit.fx.resources.QuotesResource;
import io.remit.kit.Remit;
import io.remit.kit.RemitBundle;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fx: currencies, mid rates and quotes. Stateless: quote ids are signed and carry the quote, so
 * any instance answers for any quote; rates come from a seed file with runtime overrides from etcd.
 *
 * <pre>{@code java -jar fx.jar server fx.yml}</pre>
 */
public class FxApplication extends Application<FxConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(FxApplication.class);

    private final RemitBundle<FxConfiguration> remit = new RemitBundle<>("fx");
    private final Clock clock;

    public FxApplication() {
        this(Clock.systemUTC());
    }

    /** An application that reads the time from {@code clock} (tests step it). */
    public FxApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new FxApplication().run(args);
    }

    @Override
    public String getName() {
        return "fx";
    }

    @Override
    public void initialize(Bootstrap<FxConfiguration> bootstrap) {
        bootstrap.addBundle(remit);
        // Instants as ISO-8601 text ("2026-03-01T10:15:30.120Z"), not seconds with a fraction.
        bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Override
    public void run(FxConfiguration configuration, Environment environment) {
        Remit kit = remit.remit();
        RateTable seed = RatesFile.load(configuration.ratesFile);
        List<String> unknown = configuration.minimumFees.keySet().stream()
                .filter(code -> seed.currency(code).isEmpty()).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("minimumFees: unknown currencies " + unknown + " (not in the rates file)");
        }
        if (FxConfiguration.DEV_SIGNING_KEY.equals(configuration.quoteSigningKey)) {
            LOG.warn("fx signs quote ids with the built-in development key; set FX_QUOTE_KEY (quoteSigningKey) to a "
                    + "secret shared by every fx instance before handling real money");
        }
        LivePricing pricing = new LivePricing(seed, configuration.pricingDefaults(), kit.config());
        QuoteSigner signer = new QuoteSigner(configuration.quoteSigningKey);
        environment.jersey().register(new QuotesResource(pricing, signer, clock));
        environment.jersey().register(new CurrenciesResource(pricing));
        kit.critical("rates", new RatesHealthCheck(pricing));
        LOG.info("fx {} ({}) prices {} currencies against {} from {}; fee {} bp, quotes valid {}",
                kit.settings().instanceId(), kit.settings().version(), seed.size(), seed.base(),
                configuration.ratesFile.isBlank() ? "the bundled rates" : configuration.ratesFile,
                configuration.feeBasisPoints, configuration.quoteTtl);
    }
}
