package io.remit.payments;

import static io.remit.payments.support.Payments.key;
import static io.remit.payments.support.Payments.keyRows;
import static io.remit.payments.support.Payments.newKey;
import static io.remit.payments.support.Payments.paymentsWithReference;
import static io.remit.payments.support.Payments.tuition;
import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.fx.api.Money;
import io.remit.payments.api.PaymentRequest;
import io.remit.payments.support.Http;
import io.remit.payments.support.Http.Answer;
import io.remit.payments.support.TestApps;
import io.remit.payments.support.TestPostgres;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * payments against the kit's consumer mocks: fx and schools answer from the recordings in
 * {@code src/test/resources/mocks/} ({@code dependencies.<name>.mock.mode: replay}), with no fx or
 * schools running at all (their urls point at a closed port, so any real call would fail).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MockReplayIT {

    static final String DB = TestPostgres.newDatabase("mocks");
    static final Jdbi JDBI = TestPostgres.jdbi(DB);
    static final DropwizardAppExtension<PaymentsConfiguration> APP = TestApps.instance("mocks", Clock.systemUTC(),
            () -> DB, null, null,
            "dependencies.fx.mock.mode", "replay",
            "dependencies.fx.mock.dir", ResourceHelpers.resourceFilePath("mocks/fx"),
            "dependencies.schools.mock.mode", "replay",
            "dependencies.schools.mock.dir", ResourceHelpers.resourceFilePath("mocks/schools"));

    @Test
    void aPaymentIsPricedByTheRecordedQuote() {
        Answer a = post(tuition("payer-mock-1"));

        assertThat(a.status()).isEqualTo(201);
        assertThat(a.body().get("quoteId").asText()).isEqualTo("q-recorded-1");
        assertThat(a.body().get("rate").asText()).isEqualTo("0.786100");
        assertThat(a.body().get("total").get("amount").asLong()).isEqualTo(1_598_080);
    }

    @Test
    void aChosenQuoteIsCheckedAgainstItsRecording() {
        assertThat(post(withQuote(tuition("payer-mock-2"), "q-chosen-7")).body().get("quoteId").asText())
                .isEqualTo("q-chosen-7");

        Answer stale = post(withQuote(tuition("payer-mock-2"), "q-stale-3"));
        assertThat(stale.status()).isEqualTo(422);
        assertThat(stale.body().get("details").get(0).get("message").asText()).contains("expired");
    }

    @Test
    void aRecorded404OfSchoolsIsAnUnknownSchool() {
        PaymentRequest r = tuition("payer-mock-3");
        Answer a = post(new PaymentRequest(r.payerId(), "closed-school", r.amount(), r.sourceCurrency(),
                r.paymentMethod(), r.reference(), null));

        assertThat(a.status()).isEqualTo(422);
        assertThat(a.body().get("details").get(0).get("path").asText()).isEqualTo("schoolId");
    }

    @Test
    void aRequestWithNoRecordingIs503AndLeavesNothing() {
        PaymentRequest r = tuition("payer-mock-4");
        PaymentRequest unrecorded = new PaymentRequest(r.payerId(), r.schoolId(), new Money(999, "GBP"),
                r.sourceCurrency(), r.paymentMethod(), r.reference(), null);
        String key = newKey();

        Answer a = Http.post(TestApps.url(APP) + "/payments", unrecorded, key(key));

        assertThat(a.status()).isEqualTo(503);
        assertThat(a.body().get("message").asText()).contains("no recording of POST /quotes");
        assertThat(paymentsWithReference(JDBI, r.reference())).isZero();
        assertThat(keyRows(JDBI, "anonymous", key)).isZero();
    }

    private static Answer post(PaymentRequest r) {
        return Http.post(TestApps.url(APP) + "/payments", r, key(newKey()));
    }

    private static PaymentRequest withQuote(PaymentRequest r, String quoteId) {
        return new PaymentRequest(r.payerId(), r.schoolId(), r.amount(), r.sourceCurrency(), r.paymentMethod(),
                r.reference(), quoteId);
    }
}
