package io.remit.kit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.remit.kit.routing.Cohort;
import io.remit.kit.routing.RoutingRules;
import io.remit.kit.trace.Spans;
import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.TrafficSplit;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's routing by version over real HTTP: which instance each call reaches, and what it carries. */
class VersionRoutingTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicReference<Map<String, TrafficSplit>> splits = new AtomicReference<>(Map.of());
    private final AtomicReference<Map<String, Experiment>> experiments = new AtomicReference<>(Map.of());
    private final RoutingRules rules = new RoutingRules(splits::get, experiments::get);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private FakeService service(String version) throws IOException {
        FakeService s = new FakeService();
        s.answer(FakeService.json(200, "{\"version\":\"" + version + "\"}"));
        open.add(s);
        return s;
    }

    private ServiceClient client(List<Endpoint> endpoints) {
        DependencySettings s = new DependencySettings();
        s.timeout = Duration.milliseconds(500);
        s.backoffBase = Duration.milliseconds(1);
        s.backoffMax = Duration.milliseconds(5);
        Endpoints fixed = new Endpoints() {
            @Override
            public List<String> baseUrls() {
                return endpoints.stream().map(Endpoint::baseUrl).toList();
            }

            @Override
            public List<Endpoint> endpoints() {
                return endpoints;
            }
        };
        return new ServiceClient("fx", s, fixed, new ObjectMapper(), new MetricRegistry(), Spans.local("test").tracer(), rules);
    }

    private static String versionOf(ServiceClient client, Call call) {
        return (String) client.call(call, Map.class).get("version");
    }

    static String payerIn(Experiment e, boolean treatment) {
        for (int i = 0; ; i++) {
            if (e.inTreatment("payer-" + i) == treatment) {
                return "payer-" + i;
            }
        }
    }

    @Test
    void aCohortCallReachesItsArmsVersionAndCarriesItsKey() throws Exception {
        FakeService old = service("1.4.2");
        FakeService next = service("1.5.0");
        ServiceClient client = client(List.of(new Endpoint(old.url(), "1.4.2", 100), new Endpoint(next.url(), "1.5.0", 100)));
        experiments.set(Map.of("new-fees", VersionRouterTest.NEW_FEES));
        String treated = payerIn(VersionRouterTest.NEW_FEES, true);
        String control = payerIn(VersionRouterTest.NEW_FEES, false);
        for (int i = 0; i < 8; i++) {
            assertThat(versionOf(client, Call.get("/quotes").withCohort(treated))).isEqualTo("1.5.0");
            assertThat(versionOf(client, Call.get("/quotes").withCohort(control))).isEqualTo("1.4.2");
        }
        assertThat(next.seen).allSatisfy(s -> assertThat(s.cohort()).isEqualTo(treated));
        assertThat(old.seen).allSatisfy(s -> assertThat(s.cohort()).isEqualTo(control));

        // The thread's cohort (what the kit's filter sets for a request) routes and travels alike.
        try (Cohort.Scope ignored = Cohort.open(treated)) {
            assertThat(versionOf(client, Call.get("/quotes"))).isEqualTo("1.5.0");
        }
        assertThat(next.seen.get(next.seen.size() - 1).cohort()).isEqualTo(treated);
        // Without a key nothing is sent, and both versions get calls.
        int before = next.hits.get() + old.hits.get();
        for (int i = 0; i < 30; i++) {
            client.call(Call.get("/quotes"), Map.class);
        }
        assertThat(old.seen.get(old.seen.size() - 1).cohort()).isNull();
        assertThat(next.hits.get() + old.hits.get()).isEqualTo(before + 30);
        assertThat(next.seen.stream().filter(s -> s.cohort() == null).count()).isPositive();
        assertThat(old.seen.stream().filter(s -> s.cohort() == null).count()).isPositive();
        assertThatThrownBy(() -> Call.get("/x").withCohort("  ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSplitChangedWhileTheClientRunsAppliesToTheNextCall() throws Exception {
        FakeService old = service("1.4.2");
        FakeService next = service("1.5.0");
        ServiceClient client = client(List.of(new Endpoint(old.url(), "1.4.2", 100), new Endpoint(next.url(), "1.5.0", 100)));
        splits.set(Map.of("fx", new TrafficSplit("fx", Map.of("1.4.2", 100, "1.5.0", 0))));
        for (int i = 0; i < 10; i++) {
            assertThat(versionOf(client, Call.get("/quotes"))).isEqualTo("1.4.2");
        }
        splits.set(Map.of("fx", new TrafficSplit("fx", Map.of("1.4.2", 0, "1.5.0", 100))));
        for (int i = 0; i < 10; i++) {
            assertThat(versionOf(client, Call.get("/quotes"))).isEqualTo("1.5.0");
        }
        splits.set(Map.of());
        int[] seen = new int[2];
        for (int i = 0; i < 30; i++) {
            seen[versionOf(client, Call.get("/quotes")).equals("1.5.0") ? 1 : 0]++;
        }
        assertThat(seen[0]).isPositive();
        assertThat(seen[1]).isPositive();
    }

    @Test
    void anArmWhoseOnlyInstanceIsDownIsServedByTheOtherVersion() throws Exception {
        FakeService old = service("1.4.2");
        String dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = "http://127.0.0.1:" + socket.getLocalPort();
        }
        ServiceClient client = client(List.of(new Endpoint(old.url(), "1.4.2", 100), new Endpoint(dead, "1.5.0", 100)));
        experiments.set(Map.of("new-fees", VersionRouterTest.NEW_FEES));
        String treated = payerIn(VersionRouterTest.NEW_FEES, true);
        Reply reply = client.send(Call.get("/quotes").withCohort(treated));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.attempts()).isEqualTo(2);
        assertThat(reply.instance()).isEqualTo(old.url());
        // The treatment's version gone from discovery: straight to the control, first attempt.
        ServiceClient oldOnly = client(List.of(new Endpoint(old.url(), "1.4.2", 100)));
        assertThat(oldOnly.send(Call.get("/quotes").withCohort(treated)).attempts()).isEqualTo(1);
    }
}
