package io.remit.payments;

import static io.remit.payments.support.Payments.key;
import static io.remit.payments.support.Payments.keyRows;
import static io.remit.payments.support.Payments.newKey;
import static io.remit.payments.support.Payments.paymentsWithReference;
import static io.remit.payments.support.Payments.tuition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.payments.api.PaymentRequest;
import io.remit.payments.idempotency.IdempotencyKeys;
import io.remit.payments.support.FakeFx;
import io.remit.payments.support.FakeSchools;
import io.remit.payments.support.Http;
import io.remit.payments.support.Http.Answer;
import io.remit.testkit.MutableClock;
import io.remit.payments.support.TestApps;
import io.remit.payments.support.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The idempotency contract of {@code POST /payments} with two payments instances (two complete
 * apps, each with its own pool) on one real PostgreSQL, and fake fx and schools servers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class IdempotencyIT {

    static final MutableClock CLOCK = new MutableClock();
    static final FakeFx FX = new FakeFx(CLOCK);
    static final FakeSchools SCHOOLS = new FakeSchools();
    static final String DB = TestPostgres.newDatabase("idempotency");
    static final Jdbi JDBI = TestPostgres.jdbi(DB);
    static final DropwizardAppExtension<PaymentsConfiguration> A =
            TestApps.instance("a", CLOCK, () -> DB, FX::url, SCHOOLS::url);
    static final DropwizardAppExtension<PaymentsConfiguration> B =
            TestApps.instance("b", CLOCK, () -> DB, FX::url, SCHOOLS::url);
    static final Duration WAIT = Duration.ofSeconds(20);

    @AfterAll
    static void stopFakes() {
        FX.close();
        SCHOOLS.close();
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyOnTwoInstancesCreateOnePayment() throws Exception {
        PaymentRequest request = tuition("payer-race");
        String key = newKey();

        List<Answer> answers = sendConcurrently(20, request, key);

        List<String> ids = answers.stream().filter(a -> a.status() == 201).map(a -> a.body().get("id").asText())
                .distinct().toList();
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(201, 409));
        assertThat(ids).hasSize(1);
        answers.stream().filter(a -> a.status() == 409).forEach(IdempotencyIT::assertInFlight);
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);

        for (DropwizardAppExtension<?> app : List.of(A, B)) {
            Answer again = Http.post(TestApps.url(app) + "/payments", request, key(key));
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.body().get("id").asText()).isEqualTo(ids.get(0));
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(again.header("Location")).endsWith("/payments/" + ids.get(0));
        }
    }

    @Test
    void whileTheFirstRequestIsInFlightTheOthersAre409AndAfterwardsTheyGetItsPayment() throws Exception {
        PaymentRequest request = tuition("payer-held");
        String key = newKey();
        FakeFx.Hold hold = FX.holdNextQuote();
        CompletableFuture<Answer> first = CompletableFuture.supplyAsync(() -> post(A, request, key));
        assertThat(hold.arrived(WAIT)).isTrue();

        List<Answer> others = sendConcurrently(19, request, key);

        assertThat(others).allSatisfy(IdempotencyIT::assertInFlight);
        hold.release();
        Answer created = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(created.status()).isEqualTo(201);
        Answer replay = post(B, request, key);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(created.body());
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        PaymentRequest request = tuition("payer-mismatch");
        String key = newKey();
        assertThat(post(A, request, key).status()).isEqualTo(201);
        PaymentRequest other = new PaymentRequest(request.payerId(), request.schoolId(), request.amount(), "EUR",
                request.paymentMethod(), request.reference(), null);

        Answer a = post(B, other, key);

        assertThat(a.status()).isEqualTo(422);
        assertThat(a.body().get("details").get(0).get("path").asText()).isEqualTo("Idempotency-Key");
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);
    }

    @Test
    void theSameBodyWrittenDifferentlyIsTheSameRequest() {
        String reference = "S-" + UUID.randomUUID();
        String key = newKey();
        Answer first = Http.post(TestApps.url(A) + "/payments", """
                {"payerId": "payer-order", "schoolId": "oxford-brookes", "amount": {"amount": 1250000, "currency": "GBP"},
                 "sourceCurrency": "USD", "paymentMethod": "BANK_TRANSFER", "reference": "%s"}""".formatted(reference), key(key));
        Answer second = Http.post(TestApps.url(B) + "/payments", """
                {"reference":"%s","paymentMethod":"BANK_TRANSFER","sourceCurrency":"USD",
                 "amount":{"currency":"GBP","amount":1250000},"schoolId":"oxford-brookes","payerId":"payer-order"}"""
                .formatted(reference), key(key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void keysAreScopedToTheCaller() {
        PaymentRequest request = tuition("payer-scoped");
        String key = newKey();

        Answer mobile = Http.post(TestApps.url(A) + "/payments", request, Map.of("Idempotency-Key", key, "X-Client-Id", "mobile"));
        Answer web = Http.post(TestApps.url(A) + "/payments", request, Map.of("Idempotency-Key", key, "X-Client-Id", "web"));

        assertThat(mobile.status()).isEqualTo(201);
        assertThat(web.status()).isEqualTo(201);
        assertThat(web.body().get("id")).isNotEqualTo(mobile.body().get("id"));
    }

    @Test
    void aMissingOrMalformedKeyIs400() {
        PaymentRequest request = tuition("payer-nokey");

        Answer missing = Http.post(TestApps.url(A) + "/payments", request, Map.of());
        Answer blank = Http.post(TestApps.url(A) + "/payments", request, Map.of("Idempotency-Key", "\"\""));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("message").asText()).contains("Idempotency-Key");
        assertThat(missing.body().get("details").get(0).get("path").asText()).isEqualTo("Idempotency-Key");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(paymentsWithReference(JDBI, request.reference())).isZero();
    }

    @Test
    void anExpiredKeyIsForgottenAndCleanedUp() {
        PaymentRequest request = tuition("payer-expiry");
        String key = newKey();
        Answer first = post(A, request, key);
        assertThat(first.status()).isEqualTo(201);

        CLOCK.advance(Duration.ofHours(24).plusMinutes(1));
        Answer later = post(B, request, key);

        assertThat(later.status()).isEqualTo(201);
        assertThat(later.header("Idempotent-Replayed")).isNull();
        assertThat(later.body().get("id")).isNotEqualTo(first.body().get("id"));
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(2);

        CLOCK.advance(Duration.ofHours(24).plusMinutes(1));
        assertThat(new IdempotencyKeys(JDBI).deleteExpired(CLOCK.instant())).isPositive();
        assertThat(keyRows(JDBI, "anonymous", key)).isZero();
    }

    @Test
    void aClaimLeftByACrashedInstanceIsTakenOverOnceItsLeaseRunsOut() {
        PaymentRequest request = tuition("payer-crash");
        String key = newKey();
        String fingerprint = io.remit.payments.idempotency.Fingerprint.of("POST", "/payments",
                Http.JSON.valueToTree(request), Http.JSON);
        // what an instance that died right after claiming leaves behind
        Instant now = CLOCK.instant();
        assertThat(new IdempotencyKeys(JDBI).claim("anonymous", key, fingerprint, now, Duration.ofSeconds(30),
                Duration.ofHours(24))).isInstanceOf(io.remit.payments.idempotency.Claim.Claimed.class);

        assertInFlight(post(A, request, key));
        CLOCK.advance(Duration.ofSeconds(31));
        Answer taken = post(B, request, key);

        assertThat(taken.status()).isEqualTo(201);
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);
    }

    @Test
    void aRequestThatOutlivesItsClaimCreatesNothing() throws Exception {
        PaymentRequest request = tuition("payer-slow");
        String key = newKey();
        FakeFx.Hold hold = FX.holdNextQuote();
        CompletableFuture<Answer> slow = CompletableFuture.supplyAsync(() -> post(A, request, key));
        assertThat(hold.arrived(WAIT)).isTrue();

        CLOCK.advance(Duration.ofSeconds(31));
        Answer takenOver = post(B, request, key);
        hold.release();
        Answer late = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(takenOver.status()).isEqualTo(201);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.header("Retry-After")).isNotNull();
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);
        assertThat(post(A, request, key).body().get("id")).isEqualTo(takenOver.body().get("id"));
    }

    @Test
    void whenFxIsDownNothingIsCreatedAndTheKeyIsReleased() {
        PaymentRequest request = tuition("payer-outage");
        String key = newKey();
        FX.down(true);
        Answer failed;
        try {
            failed = post(A, request, key);
        } finally {
            FX.down(false);
        }

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("Retry-After")).isNotNull();
        assertThat(failed.body().get("details").get(0).get("path").asText()).isEqualTo("fx");
        assertThat(paymentsWithReference(JDBI, request.reference())).isZero();
        assertThat(keyRows(JDBI, "anonymous", key)).isZero();

        Answer retried = post(B, request, key);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(paymentsWithReference(JDBI, request.reference())).isEqualTo(1);
    }

    @Test
    void aRefusedPaymentReleasesItsKeyToo() {
        PaymentRequest request = tuition("payer-refused");
        PaymentRequest unknownSchool = new PaymentRequest(request.payerId(), "closed-school", request.amount(),
                request.sourceCurrency(), request.paymentMethod(), request.reference(), null);
        String key = newKey();

        assertThat(post(A, unknownSchool, key).status()).isEqualTo(422);
        assertThat(keyRows(JDBI, "anonymous", key)).isZero();
        assertThat(post(B, request, key).status()).isEqualTo(201);
    }

    /** Sends {@code n} identical requests at once, alternating between the two instances. */
    private static List<Answer> sendConcurrently(int n, PaymentRequest request, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DropwizardAppExtension<?> app = i % 2 == 0 ? A : B;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return post(app, request, key);
                }));
            }
            assertThat(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : futures) {
                answers.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertInFlight(Answer a) {
        assertThat(a.status()).isEqualTo(409);
        assertThat(a.header("Retry-After")).isEqualTo("1");
        JsonNode body = a.body();
        assertThat(body.get("code").asInt()).isEqualTo(409);
        assertThat(body.get("message").asText()).contains("in flight");
    }

    private static Answer post(DropwizardAppExtension<?> app, PaymentRequest request, String key) {
        return Http.post(TestApps.url(app) + "/payments", request, key(key));
    }
}
