package io.remit.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.kit.client.DependencyErrorException;
import io.remit.kit.client.DependencySettings;
import io.remit.kit.client.Endpoints;
import io.remit.kit.client.ServiceClient;
import io.remit.payments.api.EventRequest;
import io.remit.payments.api.PaymentPage;
import io.remit.payments.api.PaymentRequest;
import io.remit.payments.api.PaymentView;
import io.remit.payments.api.PaymentsClient;
import io.remit.payments.core.PaymentState;
import io.remit.payments.support.FakeFx;
import io.remit.payments.support.FakeSchools;
import io.remit.testkit.MutableClock;
import io.remit.payments.support.Payments;
import io.remit.payments.support.TestApps;
import io.remit.payments.support.TestPostgres;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The typed client a consumer of payments uses, against a real payments instance and PostgreSQL. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PaymentsClientIT {

    static final MutableClock CLOCK = new MutableClock();
    static final FakeFx FX = new FakeFx(CLOCK);
    static final FakeSchools SCHOOLS = new FakeSchools();
    static final String DB = TestPostgres.newDatabase("client");
    static final DropwizardAppExtension<PaymentsConfiguration> APP =
            TestApps.instance("client", CLOCK, () -> DB, FX::url, SCHOOLS::url);

    @AfterAll
    static void stopFakes() {
        FX.close();
        SCHOOLS.close();
    }

    PaymentsClient client() {
        ServiceClient kit = new ServiceClient("payments", new DependencySettings(),
                Endpoints.fixed(List.of("http://127.0.0.1:" + APP.getLocalPort())),
                new ObjectMapper().findAndRegisterModules(), new MetricRegistry());
        return new PaymentsClient(kit, "web");
    }

    @Test
    void aConsumerCreatesReadsListsAndMovesAPaymentWithoutWritingHttp() {
        PaymentsClient payments = client();
        String payer = "client-" + UUID.randomUUID();
        PaymentRequest request = Payments.tuition(payer);
        String key = UUID.randomUUID().toString();
        PaymentView created = payments.create(request, key);
        assertThat(created.state()).isEqualTo(PaymentState.CREATED);
        assertThat(payments.create(request, key).id()).as("the same key: the same payment").isEqualTo(created.id());

        assertThat(payments.find(created.id())).hasValueSatisfying(p -> assertThat(p.total()).isEqualTo(created.total()));
        assertThat(payments.find(UUID.randomUUID().toString())).isEmpty();
        PaymentPage page = payments.byPayer(payer, 10, null);
        assertThat(page.items()).extracting(PaymentView::id).containsExactly(created.id());

        PaymentView moved = payments.event(created.id(), new EventRequest("funds_requested", "invoice sent"));
        assertThat(moved.state()).isEqualTo(PaymentState.AWAITING_FUNDS);
        assertThatThrownBy(() -> payments.event(created.id(), new EventRequest("delivered", null)))
                .isInstanceOfSatisfying(DependencyErrorException.class, e -> assertThat(e.status()).isEqualTo(409));
    }
}
