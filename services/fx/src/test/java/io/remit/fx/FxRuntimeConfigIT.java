package io.remit.fx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.remit.fx.api.Money;
import io.remit.fx.api.Quote;
import io.remit.testkit.Await;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import io.remit.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rates, fee and validity changed in etcd apply to the next quote of a running fx, no restart. */
@ExtendWith(EtcdExtension.class)
class FxRuntimeConfigIT {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private static final String CONFIG = "/remit/config/fx/";
    private static final String USD_TO_GBP = "{\"sourceCurrency\":\"USD\",\"targetCurrency\":\"GBP\",\"sourceAmount\":10000}";

    private static DropwizardTestSupport<FxConfiguration> app;
    private static EtcdServer etcd;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(EtcdServer server) throws Exception {
        etcd = server;
        app = new DropwizardTestSupport<>(FxApplication.class, ResourceHelpers.resourceFilePath("fx-test.yml"),
                ConfigOverride.config("ratesFile", ResourceHelpers.resourceFilePath("test-rates.yml")),
                ConfigOverride.config("remit.etcdEndpoints", server.endpoint())) {
            @Override
            public Application<FxConfiguration> newApplication() {
                return new FxApplication(CLOCK);
            }
        };
        app.before();
    }

    @AfterAll
    static void stop() {
        app.after();
    }

    @BeforeEach
    void noOverrides() {
        etcd.deletePrefix(CONFIG);
        Await.until("no overrides in force", () -> quote().rate().equals("0.8") && quote().fee().amount() == 50);
    }

    private Quote quote() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + "/quotes"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(USD_TO_GBP)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return JSON.readValue(r.body(), Quote.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode currencies() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + "/currencies"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    @Test
    void aRateSetInEtcdPricesTheNextQuote() throws Exception {
        etcd.put(CONFIG + "rates.GBP", "0.5");

        Await.until("GBP at 0.5", () -> quote().rate().equals("0.5"));
        Quote q = quote();
        assertThat(q.target()).isEqualTo(Money.of(5_000, "GBP"));
        JsonNode gbp = currencies().get("currencies").get(1);
        assertThat(gbp.get("code").asText()).isEqualTo("GBP");
        assertThat(gbp.get("rate").asText()).isEqualTo("0.5");
        assertThat(gbp.get("source").asText()).isEqualTo("runtime");

        etcd.delete(CONFIG + "rates.GBP");
        Await.until("GBP back at the seed rate", () -> quote().rate().equals("0.8"));
    }

    @Test
    void feeAndValidityCanChangeWhileRunning() {
        etcd.put(CONFIG + "feeBasisPoints", "120");
        etcd.put(CONFIG + "quoteTtl", "15s");
        etcd.put(CONFIG + "minimumFee.USD", "500");

        Await.until("the new fee", () -> quote().fee().amount() == 500);
        Quote q = quote();
        assertThat(q.expiresAt()).isEqualTo(q.createdAt().plusSeconds(15));

        etcd.delete(CONFIG + "minimumFee.USD");
        Await.until("120 bp without a minimum", () -> quote().fee().amount() == 120);
    }

    @Test
    void nonsenseInEtcdLeavesTheConfiguredValues() throws Exception {
        etcd.put(CONFIG + "rates.GBP", "-1");
        etcd.put(CONFIG + "rates.USD", "2");
        etcd.put(CONFIG + "rates.XYZ", "2");
        etcd.put(CONFIG + "feeBasisPoints", "lots");
        etcd.put(CONFIG + "quoteTtl", "10d");
        etcd.put(CONFIG + "maxAmount", "0");
        etcd.put(CONFIG + "rates.EUR", "0.95"); // written last: once fx shows it, it has seen the rest (watch order)

        Await.until("EUR at 0.95", () -> {
            try {
                return currencies().get("currencies").get(0).get("rate").asText().equals("0.95");
            } catch (Exception e) {
                return false;
            }
        });
        Quote q = quote();
        assertThat(q.rate()).isEqualTo("0.8");
        assertThat(q.fee().amount()).isEqualTo(50);
        assertThat(q.expiresAt()).isEqualTo(q.createdAt().plusSeconds(60));
        assertThat(currencies().get("currencies").get(5).get("rate").asText()).as("USD").isEqualTo("1");
    }
}
