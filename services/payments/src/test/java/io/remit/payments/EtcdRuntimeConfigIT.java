package io.remit.payments;

import static io.remit.payments.support.Payments.key;
import static io.remit.payments.support.Payments.newKey;
import static io.remit.payments.support.Payments.tuition;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.fx.api.Money;
import io.remit.payments.api.PaymentRequest;
import io.remit.payments.idempotency.IdempotencyPolicy;
import io.remit.payments.support.Eventually;
import io.remit.payments.support.FakeFx;
import io.remit.payments.support.FakeSchools;
import io.remit.payments.support.Http;
import io.remit.testkit.MutableClock;
import io.remit.payments.support.TestApps;
import io.remit.payments.support.TestPostgres;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * payments under Remit: with a real etcd, the database comes from the runtime config
 * ({@code /remit/config/payments/database.*}, as ./remit local writes it) although the config
 * file names an unreachable one, the key lifetime follows {@code idempotency.keyTtl}, and the
 * {@code payments-paused} flag pauses new payments.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EtcdRuntimeConfigIT {

    static final EtcdServer ETCD = EtcdServer.start();
    static final String CONFIG = "/remit/config/" + PaymentsApplication.NAME + "/";
    static final String DB = seedDatabaseConfig(TestPostgres.newDatabase("etcd"));
    static final MutableClock CLOCK = new MutableClock();
    static final FakeFx FX = new FakeFx(CLOCK);
    static final FakeSchools SCHOOLS = new FakeSchools();
    // the file's database.url stays the unreachable one of payments-test.yml
    static final DropwizardAppExtension<PaymentsConfiguration> APP = TestApps.instance("etcd", CLOCK,
            () -> "jdbc:postgresql://127.0.0.1:1/not-this-one", FX::url, SCHOOLS::url,
            "remit.etcdEndpoints", ETCD.endpoint(),
            "database.user", "nobody-from-the-file");

    @AfterAll
    static void stop() {
        FX.close();
        SCHOOLS.close();
        ETCD.close();
    }

    private static String seedDatabaseConfig(String url) {
        ETCD.put(CONFIG + "database.url", url);
        ETCD.put(CONFIG + "database.user", TestPostgres.USER);
        ETCD.put(CONFIG + "database.password", "");
        return url;
    }

    @Test
    void theDatabaseComesFromTheRuntimeConfig() {
        assertThat(Http.post(TestApps.url(APP) + "/payments", tuition("payer-etcd"), key(newKey())).status())
                .isEqualTo(201);
        int stored = TestPostgres.jdbi(DB).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM payments WHERE payer_id = 'payer-etcd'").mapTo(Integer.class).one());
        assertThat(stored).isEqualTo(1);
        assertThat(Http.get("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck").status()).isEqualTo(200);
    }

    @Test
    void theKeyLifetimeIsReadFromTheRuntimeConfigAtEveryRequest() {
        String ttl = CONFIG + IdempotencyPolicy.KEY_TTL;
        ETCD.put(ttl, "2m");
        try {
            Eventually.await("a key is forgotten after 2 minutes", Duration.ofSeconds(10), () -> {
                PaymentRequest request = tuition("payer-ttl");
                String key = newKey();
                Http.post(TestApps.url(APP) + "/payments", request, key(key));
                CLOCK.advance(Duration.ofMinutes(3));
                Http.Answer again = Http.post(TestApps.url(APP) + "/payments", request, key(key));
                return again.status() == 201 && again.header("Idempotent-Replayed") == null;
            });
        } finally {
            ETCD.delete(ttl);
        }
    }

    @Test
    void thePausedFlagRefusesNewPaymentsToTheSchoolsItNames() {
        String flag = "/remit/flags/" + CreationPause.FLAG;
        ETCD.put(flag, "{\"enabled\": true, \"params\": {\"schools\": [\"oxford-brookes\"]}}");
        try {
            Eventually.await("new payments to oxford-brookes are paused", Duration.ofSeconds(10),
                    () -> Http.post(TestApps.url(APP) + "/payments", tuition("payer-paused"), key(newKey())).status() == 503);
            PaymentRequest toronto = new PaymentRequest("payer-paused", FakeSchools.TORONTO.id(), new Money(900_000, "CAD"),
                    "USD", "BANK_TRANSFER", "S-1", null);
            assertThat(Http.post(TestApps.url(APP) + "/payments", toronto, key(newKey())).status()).isEqualTo(201);
        } finally {
            ETCD.delete(flag);
        }
        Eventually.await("new payments to oxford-brookes are taken again", Duration.ofSeconds(10),
                () -> Http.post(TestApps.url(APP) + "/payments", tuition("payer-paused"), key(newKey())).status() == 201);
    }
}
