package io.remit.fx;

import io.remit.testkit.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.fx.api.FxClient;
import io.remit.fx.api.Money;
import io.remit.fx.api.Quote;
import io.remit.fx.api.QuoteRequest;
import io.remit.kit.client.DependencyErrorException;
import io.remit.kit.client.DependencySettings;
import io.remit.kit.client.Endpoints;
import io.remit.kit.client.ServiceClient;
import io.remit.kit.http.Problem;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole fx app over HTTP, as payments calls it, with a clock the test moves and the round
 * test rates (1 USD = 0.8 GBP = 150 JPY = 0.3 KWD); a second instance with the same key answers
 * for the first one's quotes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FxApplicationTest {

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static final ObjectMapper JSON = new ObjectMapper();

    static final DropwizardAppExtension<FxConfiguration> APP = new DropwizardAppExtension<>(app());

    private static DropwizardTestSupport<FxConfiguration> second;

    static DropwizardTestSupport<FxConfiguration> app() {
        return new DropwizardTestSupport<>(FxApplication.class, ResourceHelpers.resourceFilePath("fx-test.yml"),
                ConfigOverride.config("ratesFile", ResourceHelpers.resourceFilePath("test-rates.yml"))) {
            @Override
            public Application<FxConfiguration> newApplication() {
                return new FxApplication(CLOCK);
            }
        };
    }

    @BeforeAll
    static void startAnotherInstance() throws Exception {
        second = app();
        second.before();
    }

    @AfterAll
    static void stopIt() {
        second.after();
    }

    private static String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static Response post(String path, String json) {
        return APP.client().target(url(APP.getLocalPort(), path)).request()
                .post(Entity.entity(json, MediaType.APPLICATION_JSON_TYPE));
    }

    private static Response get(int port, String path) {
        return APP.client().target(url(port, path)).request().get();
    }

    private static Quote quote(String json) {
        try (Response r = post("/quotes", json)) {
            assertThat(r.getStatus()).as("POST /quotes %s", json).isEqualTo(201);
            Quote q = r.readEntity(Quote.class);
            assertThat(r.getLocation().getPath()).isEqualTo("/quotes/" + q.id());
            return q;
        }
    }

    private static JsonNode body(Response r) throws Exception {
        return JSON.readTree(r.readEntity(String.class));
    }

    @Test
    void pricesAQuoteAndReadsItBack() {
        Quote q = quote("{\"sourceCurrency\":\"USD\",\"targetCurrency\":\"GBP\",\"sourceAmount\":10000}");

        assertThat(q.rate()).isEqualTo("0.8");
        assertThat(q.source()).isEqualTo(Money.of(10_000, "USD"));
        assertThat(q.target()).isEqualTo(Money.of(8_000, "GBP"));
        assertThat(q.fee()).isEqualTo(Money.of(50, "USD"));
        assertThat(q.total()).isEqualTo(Money.of(10_050, "USD"));
        assertThat(q.createdAt()).isEqualTo(CLOCK.instant());
        assertThat(q.expiresAt()).isEqualTo(CLOCK.instant().plusSeconds(60));
        assertThat(q.expired()).isFalse();

        assertThat(get(APP.getLocalPort(), "/quotes/" + q.id()).readEntity(Quote.class)).isEqualTo(q);
    }

    @Test
    void answersTimesAsIsoTextAndTheRateAsADecimalString() throws Exception {
        JsonNode q;
        try (Response r = post("/quotes", "{\"sourceCurrency\":\"KWD\",\"targetCurrency\":\"JPY\",\"targetAmount\":100000}")) {
            q = body(r);
        }
        assertThat(q.get("rate").isTextual()).isTrue();
        assertThat(q.get("rate").asText()).isEqualTo("500");
        assertThat(q.get("source")).isEqualTo(JSON.readTree("{\"amount\":200000,\"currency\":\"KWD\"}"));
        assertThat(q.get("createdAt").asText()).isEqualTo(CLOCK.instant().toString());
        assertThat(q.get("expired").asBoolean()).isFalse();
    }

    @Test
    void anExpiredQuoteCannotBeAccepted() throws Exception {
        Quote q = quote("{\"sourceCurrency\":\"GBP\",\"targetCurrency\":\"JPY\",\"targetAmount\":1000000}");
        try (Response r = post("/quotes/" + q.id() + "/accept", "")) {
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.readEntity(Quote.class).expired()).isFalse();
        }

        CLOCK.advance(Duration.ofSeconds(60));

        assertThat(get(APP.getLocalPort(), "/quotes/" + q.id()).readEntity(Quote.class).expired()).isTrue();
        try (Response r = post("/quotes/" + q.id() + "/accept", "")) {
            assertThat(r.getStatus()).isEqualTo(410);
            JsonNode error = body(r);
            assertThat(error.get("code").asInt()).isEqualTo(410);
            assertThat(error.get("message").asText()).startsWith("quote expired at " + q.expiresAt()).contains("ask for a new quote");
            assertThat(error.get("details").get(0).get("path").asText()).isEqualTo("id");
            assertThat(error.get("details").get(0).get("message").asText()).isEqualTo("quote " + q.id() + " expired at " + q.expiresAt());
        }
    }

    @Test
    void aTamperedOrMadeUpIdIsNotFound() throws Exception {
        Quote q = quote("{\"sourceCurrency\":\"USD\",\"targetCurrency\":\"INR\",\"sourceAmount\":500}");
        String tampered = (q.id().charAt(5) == 'A' ? "B" : "A");
        tampered = q.id().substring(0, 5) + tampered + q.id().substring(6);
        for (String id : List.of(tampered, "made-up", q.id() + "x")) {
            try (Response r = get(APP.getLocalPort(), "/quotes/" + id)) {
                assertThat(r.getStatus()).as(id).isEqualTo(404);
                assertThat(body(r)).isEqualTo(JSON.readTree("{\"code\":404,\"message\":\"quote not found\",\"details\":[]}"));
            }
            try (Response r = post("/quotes/" + id + "/accept", "")) {
                assertThat(r.getStatus()).as(id).isEqualTo(404);
            }
        }
    }

    @Test
    void anotherInstanceAnswersForTheQuote() {
        Quote q = quote("{\"sourceCurrency\":\"EUR\",\"targetCurrency\":\"USD\",\"sourceAmount\":90000}");
        assertThat(second.getLocalPort()).isNotEqualTo(APP.getLocalPort());

        assertThat(get(second.getLocalPort(), "/quotes/" + q.id()).readEntity(Quote.class)).isEqualTo(q);
    }

    @Test
    void badInputIsRefusedWithEveryProblem() throws Exception {
        try (Response r = post("/quotes", "{\"sourceCurrency\":\"XYZ\",\"targetCurrency\":\"GBP\",\"sourceAmount\":-1,\"targetAmount\":5}")) {
            assertThat(r.getStatus()).isEqualTo(422);
            assertThat(body(r)).isEqualTo(JSON.readTree("""
                    {"code": 422, "message": "invalid request: 3 problems", "details": [
                      {"path": "sourceCurrency", "message": "unknown currency XYZ"},
                      {"path": "sourceAmount", "message": "must not be given together with targetAmount (give exactly one of them)"},
                      {"path": "sourceAmount", "message": "must be positive (minor units, e.g. 1050 for 10.50)"}]}
                    """));
        }
        try (Response r = post("/quotes", "")) {
            assertThat(r.getStatus()).isEqualTo(422);
            assertThat(body(r).get("details").get(0).get("path").asText()).isEqualTo("body");
        }
        try (Response r = post("/quotes", "{\"sourceCurrency\":\"USD\",\"targetCurrency\":\"GBP\",\"sourceAmount\":\"lots\"}")) {
            assertThat(r.getStatus()).isEqualTo(400);
            assertThat(body(r).get("details").get(0).get("path").asText()).isEqualTo("sourceAmount");
        }
    }

    @Test
    void listsTheCurrenciesWithTheirRates() throws Exception {
        try (Response r = get(APP.getLocalPort(), "/currencies")) {
            JsonNode list = body(r);
            assertThat(list.get("base").asText()).isEqualTo("USD");
            assertThat(list.get("currencies")).hasSize(6);
            assertThat(list.get("currencies").get(3)).isEqualTo(JSON.readTree(
                    "{\"code\":\"JPY\",\"name\":\"Yen\",\"minorDigits\":0,\"rate\":\"150\",\"source\":\"seed\"}"));
        }
    }

    @Test
    void theRatesHealthCheckIsCritical() throws Exception {
        try (Response r = get(APP.getAdminPort(), "/healthcheck")) {
            assertThat(r.getStatus()).isEqualTo(200);
            JsonNode rates = body(r).get("rates");
            assertThat(rates.get("healthy").asBoolean()).isTrue();
            assertThat(rates.get("message").asText()).isEqualTo("6 currencies, base USD");
        }
    }

    @Test
    void theTypedClientOfPaymentsWorksAgainstIt() {
        ServiceClient http = new ServiceClient("fx", new DependencySettings(),
                Endpoints.fixed(List.of(url(APP.getLocalPort(), ""))), APP.getObjectMapper(), new MetricRegistry());
        FxClient fx = new FxClient(http);

        Quote q = fx.quote(QuoteRequest.toReceive("USD", Money.of(1_000_000, "JPY")), "key-1");
        assertThat(q.target()).isEqualTo(Money.of(1_000_000, "JPY"));
        assertThat(q.source()).isEqualTo(Money.of(666_667, "USD"));
        assertThat(fx.find(q.id())).contains(q);
        assertThat(fx.find("not-a-quote")).isEmpty();
        assertThatThrownBy(() -> fx.quote(new QuoteRequest("USD", "XXX", 1L, null), "key-2"))
                .isInstanceOfSatisfying(DependencyErrorException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.error().details()).containsExactly(new Problem("targetCurrency", "unknown currency XXX"));
                });
    }
}
