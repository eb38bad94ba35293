package io.remit.payments;

import static io.remit.payments.support.Payments.key;
import static io.remit.payments.support.Payments.newKey;
import static io.remit.payments.support.Payments.tuition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.fx.api.Money;
import io.remit.fx.api.Quote;
import io.remit.payments.api.EventRequest;
import io.remit.payments.api.PaymentRequest;
import io.remit.payments.support.FakeFx;
import io.remit.payments.support.FakeSchools;
import io.remit.payments.support.Http;
import io.remit.payments.support.Http.Answer;
import io.remit.testkit.MutableClock;
import io.remit.payments.support.TestApps;
import io.remit.payments.support.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The payments API on one instance, a real PostgreSQL and fake fx and schools servers. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PaymentsApiIT {

    static final MutableClock CLOCK = new MutableClock();
    static final FakeFx FX = new FakeFx(CLOCK);
    static final FakeSchools SCHOOLS = new FakeSchools();
    static final String DB = TestPostgres.newDatabase("api");
    static final DropwizardAppExtension<PaymentsConfiguration> APP =
            TestApps.instance("api", CLOCK, () -> DB, FX::url, SCHOOLS::url);

    @AfterAll
    static void stopFakes() {
        FX.close();
        SCHOOLS.close();
    }

    @Test
    void createsAPaymentPricedByFxAndReadsItBack() {
        PaymentRequest request = tuition("payer-1");
        Answer created = post(request, newKey());

        assertThat(created.status()).isEqualTo(201);
        JsonNode p = created.body();
        assertThat(created.header("Location")).endsWith("/payments/" + p.get("id").asText());
        assertThat(p.get("state").asText()).isEqualTo("CREATED");
        assertThat(money(p.get("amount"))).isEqualTo(new Money(1_250_000, "GBP"));
        assertThat(p.get("sourceCurrency").asText()).isEqualTo("USD");
        assertThat(p.get("rate").asText()).isEqualTo(FakeFx.RATE);
        assertThat(money(p.get("source"))).isEqualTo(new Money(2_500_000, "USD"));
        assertThat(money(p.get("fee"))).isEqualTo(new Money(25_000, "USD"));
        assertThat(money(p.get("total"))).isEqualTo(new Money(2_525_000, "USD"));
        assertThat(p.get("quoteId").asText()).startsWith("q-");
        assertThat(p.get("reference").asText()).isEqualTo(request.reference());
        assertThat(p.get("history")).hasSize(1);
        assertThat(p.get("history").get(0).get("type").asText()).isEqualTo("created");
        assertThat(p.get("history").get(0).get("to").asText()).isEqualTo("CREATED");
        assertThat(p.get("createdAt").isTextual()).isTrue();

        Answer read = Http.get(created.header("Location"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(p);
    }

    @Test
    void everyProblemOfABodyIsListedAtOnce() {
        String body = """
                {"payerId": "", "schoolId": "oxford-brookes", "amount": {"amount": 12.5, "currency": "gbp"},
                 "sourceCurrency": "XYZ", "paymentMethod": "bank transfer", "colour": "blue"}""";
        Answer a = Http.post(url("/payments"), body, key(newKey()));

        assertThat(a.status()).isEqualTo(422);
        assertThat(fields(a)).containsExactlyInAnyOrder("colour", "payerId", "amount.amount", "amount.currency",
                "sourceCurrency", "paymentMethod", "reference");
    }

    @Test
    void aBodyThatIsNotJsonIs400AndAMissingBodyIs422() {
        assertThat(Http.post(url("/payments"), "{not json", key(newKey())).status()).isEqualTo(400);
        Answer empty = Http.post(url("/payments"), "", key(newKey()));
        assertThat(empty.status()).isEqualTo(422);
        assertThat(fields(empty)).containsExactly("body");
    }

    @Test
    void anUnknownSchoolIs422NamingSchoolId() {
        PaymentRequest r = tuition("payer-2");
        Answer a = post(new PaymentRequest(r.payerId(), "no-such-school", r.amount(), r.sourceCurrency(),
                r.paymentMethod(), r.reference(), null), newKey());

        assertThat(a.status()).isEqualTo(422);
        assertThat(fields(a)).containsExactly("schoolId");
    }

    @Test
    void theAmountMustBeInTheSchoolsCurrencyAndItsMethodAccepted() {
        PaymentRequest r = tuition("payer-3");
        Answer a = post(new PaymentRequest(r.payerId(), FakeSchools.TORONTO.id(), new Money(500_000, "USD"), "USD",
                "CARD", r.reference(), null), newKey());

        assertThat(a.status()).isEqualTo(422);
        assertThat(fields(a)).containsExactlyInAnyOrder("amount.currency", "paymentMethod");
    }

    @Test
    void whatFxRefusesIs422OnThePaymentsOwnFields() {
        PaymentRequest r = tuition("payer-refused-by-fx");
        Answer tooMuch = post(new PaymentRequest(r.payerId(), r.schoolId(), new Money(FakeFx.MAX_TARGET + 1, "GBP"),
                "USD", r.paymentMethod(), r.reference(), null), newKey());
        Answer unpriced = post(new PaymentRequest(r.payerId(), r.schoolId(), r.amount(), "XAU", r.paymentMethod(),
                r.reference(), null), newKey());

        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(fields(tooMuch)).containsExactly("amount.amount");
        assertThat(tooMuch.body().get("details").get(0).get("message").asText()).contains("fx", "at most " + FakeFx.MAX_TARGET);
        assertThat(unpriced.status()).isEqualTo(422);
        assertThat(fields(unpriced)).containsExactly("sourceCurrency");
        assertThat(unpriced.body().get("details").get(0).get("message").asText()).contains("unknown currency XAU");
        assertThat(Http.get(url("/payments?payerId=" + r.payerId())).body().get("items")).isEmpty();
    }

    @Test
    void aLoneSurrogateIsRefusedNamingItsFieldNotStoredAsAQuestionMark() {
        String reference = "S-" + UUID.randomUUID();
        String body = """
                {"payerId": "payer-unicode", "schoolId": "oxford-brookes", "amount": {"amount": 1250000, "currency": "GBP"},
                 "sourceCurrency": "USD", "paymentMethod": "BANK_TRANSFER", "reference": "%s \\ud800"}""".formatted(reference);

        Answer a = Http.post(url("/payments"), body, key(newKey()));

        assertThat(a.status()).isEqualTo(422);
        assertThat(fields(a)).containsExactly("reference");
        assertThat(a.body().get("details").get(0).get("message").asText()).contains("Unicode");
        assertThat(Http.get(url("/payments?payerId=payer-unicode")).body().get("items")).isEmpty();

        String id = create("payer-unicode-event");
        Answer event = Http.post(url("/payments/" + id + "/events"), "{\"type\": \"failed\", \"reason\": \"\\udc00 bounced\"}",
                Map.of());
        assertThat(event.status()).isEqualTo(422);
        assertThat(fields(event)).containsExactly("reason");
    }

    @Test
    void textLengthsAreCountedInCharactersNotUtf16Units() {
        PaymentRequest r = tuition("payer-emoji");
        String emoji = "\uD83C\uDF93"; // one character, two UTF-16 units
        Answer fits = post(new PaymentRequest(r.payerId(), r.schoolId(), r.amount(), r.sourceCurrency(),
                r.paymentMethod(), emoji.repeat(140), null), newKey());
        Answer tooLong = post(new PaymentRequest(r.payerId(), r.schoolId(), r.amount(), r.sourceCurrency(),
                r.paymentMethod(), emoji.repeat(141), null), newKey());

        assertThat(fits.status()).isEqualTo(201);
        assertThat(fits.body().get("reference").asText()).isEqualTo(emoji.repeat(140));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(fields(tooLong)).containsExactly("reference");
    }

    @Test
    void aGivenQuoteIsUsedWhenItMatches() {
        PaymentRequest r = tuition("payer-4");
        Quote q = FX.put(FX.price("USD", r.amount()));
        int before = FX.quotesMade();

        Answer a = post(withQuote(r, q.id()), newKey());

        assertThat(a.status()).isEqualTo(201);
        assertThat(a.body().get("quoteId").asText()).isEqualTo(q.id());
        assertThat(FX.quotesMade()).isEqualTo(before);
    }

    @Test
    void aGivenQuoteMustExistBeUnexpiredAndMatch() {
        PaymentRequest r = tuition("payer-5");
        Quote other = FX.put(FX.price("USD", new Money(999, "GBP")));
        Quote eur = FX.put(FX.price("EUR", r.amount()));
        Quote old = FX.price("USD", r.amount());
        Quote expired = FX.put(new Quote(old.id(), old.rate(), old.source(), old.target(), old.fee(), old.total(),
                old.createdAt().minus(Duration.ofHours(1)), CLOCK.instant().minusSeconds(1), false));

        for (String id : List.of("q-unknown", other.id(), eur.id(), expired.id())) {
            Answer a = post(withQuote(r, id), newKey());
            assertThat(a.status()).as(id).isEqualTo(422);
            assertThat(fields(a)).as(id).containsOnly("quoteId");
        }
        assertThat(Http.get(url("/payments?payerId=payer-5")).body().get("items")).isEmpty();
    }

    @Test
    void aPaymentGoesThroughItsStatesAndKeepsItsHistory() {
        String id = create("payer-6");

        assertThat(event(id, "funds_requested", null).status()).isEqualTo(200);
        assertThat(event(id, "funds_received", "wire 1234").status()).isEqualTo(200);
        Answer delivered = event(id, "delivered", null);

        assertThat(delivered.status()).isEqualTo(200);
        JsonNode p = delivered.body();
        assertThat(p.get("state").asText()).isEqualTo("DELIVERED");
        assertThat(p.get("version").asInt()).isEqualTo(4);
        List<String> steps = new ArrayList<>();
        p.get("history").forEach(e -> steps.add(e.get("type").asText() + ":" + e.get("from").asText("-") + "->"
                + e.get("to").asText()));
        assertThat(steps).containsExactly("created:-->CREATED", "funds_requested:CREATED->AWAITING_FUNDS",
                "funds_received:AWAITING_FUNDS->FUNDS_RECEIVED", "delivered:FUNDS_RECEIVED->DELIVERED");
        assertThat(p.get("history").get(2).get("reason").asText()).isEqualTo("wire 1234");
        assertThat(Http.get(url("/payments/" + id)).body()).isEqualTo(p);
    }

    @Test
    void anIllegalEventIs409AndChangesNothing() {
        String id = create("payer-7");
        JsonNode before = Http.get(url("/payments/" + id)).body();

        Answer a = event(id, "delivered", null);

        assertThat(a.status()).isEqualTo(409);
        assertThat(a.body().get("message").asText()).contains("delivered").contains("CREATED");
        assertThat(a.body().get("details").get(0).get("message").asText()).contains("funds_requested");
        assertThat(Http.get(url("/payments/" + id)).body()).isEqualTo(before);

        assertThat(event(id, "cancelled", "payer changed their mind").status()).isEqualTo(200);
        for (String type : List.of("funds_requested", "failed", "cancelled", "delivered")) {
            assertThat(event(id, type, null).status()).as(type).isEqualTo(409);
        }
        assertThat(Http.get(url("/payments/" + id)).body().get("history")).hasSize(2);
    }

    @Test
    void anUnknownEventIs422AndAnUnknownPayment404() {
        String id = create("payer-8");
        assertThat(event(id, "teleported", null).status()).isEqualTo(422);
        assertThat(event(id, "created", null).status()).isEqualTo(422);
        assertThat(event("7d0c0b64-0000-4000-8000-000000000000", "failed", null).status()).isEqualTo(404);
        assertThat(Http.get(url("/payments/not-a-uuid")).status()).isEqualTo(404);
    }

    @Test
    void concurrentEventsOnOnePaymentApplyOnce() throws Exception {
        String id = create("payer-9");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return event(id, "funds_requested", null).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Http.get(url("/payments/" + id)).body().get("history")).hasSize(2);
    }

    @Test
    void listsPageByCursorNewestFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, create("payer-paging"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        List<Integer> sizes = new ArrayList<>();
        do {
            JsonNode page = Http.get(url("/payments?payerId=payer-paging&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)))
                    .body();
            sizes.add(page.get("items").size());
            page.get("items").forEach(p -> {
                seen.add(p.get("id").asText());
                assertThat(p.has("history")).isFalse();
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);

        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(seen).isEqualTo(created);
        JsonNode bySchool = Http.get(url("/payments?schoolId=oxford-brookes&payerId=payer-paging&limit=100")).body();
        assertThat(bySchool.get("items")).hasSize(5);
        assertThat(bySchool.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void badListQueriesAre400() {
        assertThat(Http.get(url("/payments")).status()).isEqualTo(400);
        assertThat(Http.get(url("/payments?payerId=x&limit=0")).status()).isEqualTo(400);
        assertThat(Http.get(url("/payments?payerId=x&limit=101")).status()).isEqualTo(400);
        assertThat(Http.get(url("/payments?payerId=x&cursor=bogus")).status()).isEqualTo(400);
    }

    @Test
    void theDatabaseCheckIsCriticalAndTheDependenciesAreNot() {
        Answer health = Http.get("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("database").get("healthy").asBoolean()).isTrue();
        assertThat(health.body().get("dependency-fx").get("critical").asBoolean()).isFalse();
        assertThat(health.body().get("dependency-schools").get("critical").asBoolean()).isFalse();
    }

    private static String create(String payer) {
        Answer a = post(tuition(payer), newKey());
        assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
        return a.body().get("id").asText();
    }

    private static Answer post(PaymentRequest r, String key) {
        return Http.post(url("/payments"), r, key(key));
    }

    private static Answer event(String id, String type, String reason) {
        return Http.post(url("/payments/" + id + "/events"), new EventRequest(type, reason), Map.of());
    }

    private static PaymentRequest withQuote(PaymentRequest r, String quoteId) {
        return new PaymentRequest(r.payerId(), r.schoolId(), r.amount(), r.sourceCurrency(), r.paymentMethod(),
                r.reference(), quoteId);
    }

    private static Money money(JsonNode node) {
        return new Money(node.get("amount").asLong(), node.get("currency").asText());
    }

    private static List<String> fields(Answer a) {
        return StreamSupport.stream(a.body().get("details").spliterator(), false).map(d -> d.get("path").asText())
                .toList();
    }

    private static String url(String path) {
        return TestApps.url(APP) + path;
    }
}
