package io.remit.payments.support;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.remit.payments.PaymentsApplication;
import io.remit.payments.PaymentsConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** payments instances for integration tests, from {@code payments-test.yml}. */
public final class TestApps {

    private TestApps() {
    }

    /**
     * One instance. {@code name} also prefixes its config overrides, so several instances in one
     * test class do not see each other's.
     *
     * @param database the JDBC URL, asked when the instance starts
     * @param settings more overrides as key, value pairs (e.g. {@code "remit.instanceId", "a"})
     */
    public static DropwizardAppExtension<PaymentsConfiguration> instance(String name, Clock clock, Supplier<String> database,
                                                                        Supplier<String> fxUrl, Supplier<String> schoolsUrl,
                                                                        String... settings) {
        List<ConfigOverride> overrides = new ArrayList<>();
        overrides.add(ConfigOverride.config(name, "database.url", database));
        overrides.add(ConfigOverride.config(name, "remit.instanceId", "payments." + name));
        if (fxUrl != null) {
            overrides.add(ConfigOverride.config(name, "dependencies.fx.urls", fxUrl));
        }
        if (schoolsUrl != null) {
            overrides.add(ConfigOverride.config(name, "dependencies.schools.urls", schoolsUrl));
        }
        for (int i = 0; i + 1 < settings.length; i += 2) {
            overrides.add(ConfigOverride.config(name, settings[i], settings[i + 1]));
        }
        return new DropwizardAppExtension<>(new DropwizardTestSupport<>(PaymentsApplication.class,
                ResourceHelpers.resourceFilePath("payments-test.yml"), name, overrides.toArray(ConfigOverride[]::new)) {
            @Override
            public Application<PaymentsConfiguration> newApplication() {
                return new PaymentsApplication(clock);
            }
        });
    }

    /** The base URL of an instance's application port. */
    public static String url(DropwizardAppExtension<?> app) {
        return "http://127.0.0.1:" + app.getLocalPort();
    }
}
