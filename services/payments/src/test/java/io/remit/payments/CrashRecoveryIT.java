package io.remit.payments;

import static io.remit.payments.support.Payments.key;
import static io.remit.payments.support.Payments.newKey;
import static io.remit.payments.support.Payments.paymentsWithReference;
import static io.remit.payments.support.Payments.tuition;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.payments.api.PaymentRequest;
import io.remit.payments.support.Eventually;
import io.remit.payments.support.FakeFx;
import io.remit.payments.support.FakeSchools;
import io.remit.payments.support.Http;
import io.remit.payments.support.Http.Answer;
import io.remit.payments.support.TestApps;
import io.remit.testkit.EtcdServer;
import io.remit.testkit.MutableClock;
import io.remit.testkit.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * payments when its PostgreSQL crashes: a {@code kill -9} of the postmaster, answers while it is
 * down, and a restart on the same data. Its own PostgreSQL (durable, as {@code ./remit local} runs
 * it), since the tests kill it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CrashRecoveryIT {

    static final MutableClock CLOCK = new MutableClock();
    static final FakeFx FX = new FakeFx(CLOCK);
    static final FakeSchools SCHOOLS = new FakeSchools();
    static final Path PG_DIR = tempDir();
    static final int PG_PORT = freePort();
    static volatile PostgresServer pg = startPostgres();
    static final String DB = pg.jdbcUrl("payments");
    static final Jdbi JDBI = Jdbi.create(DB, "postgres", "");
    static final DropwizardAppExtension<PaymentsConfiguration> APP =
            TestApps.instance("crash", CLOCK, () -> DB, FX::url, SCHOOLS::url);

    @AfterAll
    static void stop() {
        FX.close();
        SCHOOLS.close();
        pg.close();
    }

    @Test
    void everyPaymentAnsweredBeforePostgresIsKilledDuringTrafficIsThereAfterItsRestartAndItsKeyStillAnswersIt()
            throws Exception {
        List<Sent> sent = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    PaymentRequest request = tuition("payer-traffic-" + client + "-" + n);
                    String key = newKey();
                    sent.add(new Sent(request, key, post(request, key)));
                }
                return null;
            });
        }
        Eventually.await("30 payments created", Duration.ofSeconds(60),
                () -> sent.stream().filter(s -> s.answer().status() == 201).count() >= 30);

        pg.crash(Duration.ofSeconds(30)); // during traffic, within milliseconds of the last 201s
        Eventually.await("a request answered while PostgreSQL is down", Duration.ofSeconds(30),
                () -> sent.stream().anyMatch(s -> s.answer().status() != 201));
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        Sent acknowledged = sent.stream().filter(s -> s.answer().status() == 201).findFirst().orElseThrow();
        Answer getWhileDown = Http.get(TestApps.url(APP) + "/payments/" + acknowledged.answer().body().get("id").asText());
        Answer postWhileDown = post(acknowledged.request(), acknowledged.key());
        List<Sent> refused = sent.stream().filter(s -> s.answer().status() != 201).toList();
        pg = startPostgres();

        assertDatabaseUnavailable(getWhileDown);
        assertDatabaseUnavailable(postWhileDown);
        refused.forEach(s -> assertDatabaseUnavailable(s.answer()));
        Eventually.await("payments reads its database again", Duration.ofSeconds(60),
                () -> Http.get(TestApps.url(APP) + "/payments/" + acknowledged.answer().body().get("id").asText())
                        .status() == 200);
        // a request cut off between its claim and its commit left its key IN_FLIGHT: released after the lease
        CLOCK.advance(Duration.ofSeconds(31));
        for (Sent s : sent) {
            Answer again = post(s.request(), s.key());
            assertThat(again.status()).as(s.request().payerId()).isEqualTo(201);
            assertThat(paymentsWithReference(JDBI, s.request().reference())).as(s.request().payerId()).isEqualTo(1);
            if (s.answer().status() == 201) {
                String id = s.answer().body().get("id").asText();
                assertThat(Http.get(TestApps.url(APP) + "/payments/" + id).status()).as("GET " + id).isEqualTo(200);
                assertThat(again.body().get("id").asText()).as(s.request().payerId()).isEqualTo(id);
                assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
            }
        }
    }

    /** A request sent, its key and what it was answered. */
    record Sent(PaymentRequest request, String key, Answer answer) {
    }

    @Test
    void aKeyLeftInFlightThoughItsPaymentCommittedIsAnsweredWithThatPaymentNeverASecondOne() {
        PaymentRequest request = tuition("payer-orphan");
        String key = newKey();
        Answer created = post(request, key);
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asText();
        // the key as a crash that lost its completion (but not the payment) would leave it
        int changed = JDBI.withHandle(h -> h.createUpdate("UPDATE idempotency_keys SET state = 'IN_FLIGHT', "
                        + "payment_id = NULL, response_status = NULL, response_body = NULL WHERE idempotency_key = :k")
                .bind("k", key).execute());
        assertThat(changed).isEqualTo(1);

        CLOCK.advance(Duration.ofSeconds(31)); // past the claim's lease: the key would be taken over
        Answer retried = post(request, key);

        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.body().get("id").asText()).isEqualTo(id);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);
        String recorded = JDBI.withHandle(h -> h.createQuery("SELECT state || ' ' || payment_id FROM idempotency_keys "
                + "WHERE idempotency_key = :k").bind("k", key).mapTo(String.class).one());
        assertThat(recorded).isEqualTo("COMPLETED " + id);
        assertThat(post(request, key).body().get("id").asText()).isEqualTo(id);
    }

    private static void assertDatabaseUnavailable(Answer a) {
        assertThat(a.status()).as(String.valueOf(a.body())).isEqualTo(503);
        assertThat(a.header("Retry-After")).isNotBlank();
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(a.body().get("code").asInt()).isEqualTo(503);
        assertThat(a.body().get("message").asText()).contains("database");
        assertThat(a.body().get("details").get(0).get("path").asText()).isEqualTo("database");
    }

    private static Answer post(PaymentRequest request, String key) {
        return Http.post(TestApps.url(APP) + "/payments", request, key(key));
    }

    private static PostgresServer startPostgres() {
        PostgresServer server = PostgresServer.start(PG_DIR, PG_PORT, false);
        server.createDatabase("payments");
        return server;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try {
            return EtcdServer.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
