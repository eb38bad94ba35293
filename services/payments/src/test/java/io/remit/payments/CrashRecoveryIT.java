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
    void aPaymentAnsweredJustBeforePostgresIsKilledIsThereAfterItsRestartAndItsKeyStillAnswersIt() {
        PaymentRequest request = tuition("payer-pgcrash");
        String key = newKey();
        Answer created = post(request, key);
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asText();

        pg.crash(Duration.ofSeconds(30));
        Answer whileDown = Http.get(TestApps.url(APP) + "/payments/" + id);
        Answer postWhileDown = post(request, key);
        pg = startPostgres();

        assertDatabaseUnavailable(whileDown);
        assertDatabaseUnavailable(postWhileDown);
        Eventually.await("payments reads its database again", Duration.ofSeconds(60),
                () -> Http.get(TestApps.url(APP) + "/payments/" + id).status() != 503);
        Answer found = Http.get(TestApps.url(APP) + "/payments/" + id);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("reference").asText()).isEqualTo(request.reference());
        Answer retried = post(request, key);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.body().get("id").asText()).isEqualTo(id);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);
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
        assertThat(a.body().get("details").get(0).get("dependency").asText()).isEqualTo("database");
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
