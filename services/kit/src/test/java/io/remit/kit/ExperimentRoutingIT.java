package io.remit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.remit.kit.client.Call;
import io.remit.kit.client.DependencySettings;
import io.remit.kit.client.Endpoints;
import io.remit.kit.client.ServiceClient;
import io.remit.kit.routing.RoutingRules;
import io.remit.kit.trace.Spans;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.TrafficRules;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.testkit.Await;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A/B by version with real HTTP servers and a real etcd: two kit services, {@code front} and
 * {@code back}, each running version 1.0 and 2.0 at once ({@link EchoApp}s registered in
 * discovery), and a caller that reaches {@code front} through the kit's client, as a gateway
 * would. An experiment in etcd puts a share of the payers on 2.0 of both services; the services
 * read it, and any change of it, live.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentRoutingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<DropwizardTestSupport<RemitConfiguration>> apps = new ArrayList<>();
    private final Map<String, DropwizardTestSupport<RemitConfiguration>> byName = new HashMap<>();
    private Etcd etcd;
    private EtcdRegistry registry;
    private DiscoveryCache frontDiscovery;
    private TrafficRules rules;
    private ServiceClient front;

    @BeforeAll
    void start(EtcdServer server) throws Exception {
        Path dir = Files.createTempDirectory("ab-it");
        etcd = Etcd.connect(EtcdSettings.of(server.endpoint()));
        registry = new EtcdRegistry(etcd);
        for (String service : List.of("back", "front")) {
            for (String version : List.of("1.0", "2.0")) {
                String id = service + "-" + version;
                Path config = dir.resolve(id + ".yml");
                Files.writeString(config, """
                        server:
                          applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                          adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                          requestLog: {appenders: []}
                        logging:
                          level: WARN
                        remit:
                          service: %s
                          version: "%s"
                          instanceId: %s
                          etcdEndpoints: %s
                        dependencies:
                          back: {timeout: 2s}
                        """.formatted(service, version, id, server.endpoint()));
                DropwizardTestSupport<RemitConfiguration> app = new DropwizardTestSupport<>(EchoApp.class, config.toString());
                app.before();
                apps.add(app);
                byName.put(id, app);
                registry.register(new Instance(service, id, "127.0.0.1",
                        Map.of("http", app.getLocalPort(), "admin", app.getAdminPort()), version, null, "agent-1",
                        Instant.now()), Duration.ofSeconds(30));
            }
        }
        // The caller: the kit's client of front, with discovery and the routing rules from etcd.
        frontDiscovery = new DiscoveryCache(etcd, "front").start();
        rules = new TrafficRules(etcd).start();
        frontDiscovery.awaitReady(Duration.ofSeconds(10));
        rules.awaitReady(Duration.ofSeconds(10));
        front = new ServiceClient("front", new DependencySettings(), Endpoints.discovered(frontDiscovery, "http"), JSON,
                new MetricRegistry(), Spans.local("gateway").tracer(), RoutingRules.of(rules));
        Await.until("front's two versions discovered", () -> front.instances().size() == 2);
    }

    @AfterAll
    void stop() {
        if (frontDiscovery != null) {
            frontDiscovery.close();
        }
        if (rules != null) {
            rules.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        apps.forEach(DropwizardTestSupport::after);
    }

    @AfterEach
    void noExperiment() {
        new KeyValues(etcd).delete(Keys.experiment("new-fees"));
    }

    private void experiment(int split, String cohort) {
        new KeyValues(etcd).put(Keys.experiment("new-fees"), """
                {"split": %d, "cohort": %s,
                 "versions": {"front": {"control": "1.0", "treatment": "2.0"},
                              "back": {"control": "1.0", "treatment": "2.0"}}}""".formatted(split, cohort));
    }

    /** A payment of {@code payer} through front, as a gateway sends it: front's version and back's. */
    private Map<String, Object> pay(String payer) {
        return front.call(Call.post("/echo/pay/back", Map.of("payerId", payer)).withCohort(payer), MAP);
    }

    private static String payerIn(boolean treatment) {
        Experiment e = new Experiment("new-fees", 10, Experiment.Cohort.ofHeader(Experiment.COHORT_HEADER),
                Map.of("front", new Experiment.Arms("1.0", "2.0")));
        for (int i = 0; ; i++) {
            if (e.inTreatment("payer-" + i) == treatment) {
                return "payer-" + i;
            }
        }
    }

    /** Whether every instance of front, and the gateway, now send {@code payer} to {@code version} of both services. */
    private boolean allRoute(String payer, String version) {
        for (int i = 0; i < 6; i++) {
            Map<String, Object> answer = pay(payer);
            if (!version.equals(answer.get("version")) || !version.equals(answer.get("dependency"))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aThousandPayersSplitTenPercentAndEachLandsOnTheSameVersionOfBothServicesEveryTime() throws Exception {
        experiment(10, "{\"header\": \"X-Remit-Cohort\"}");
        Await.until("the experiment is live in the gateway and in front", () -> allRoute(payerIn(true), "2.0"));
        // Four payers at a time, as concurrent clients would send them.
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Boolean>> payers = new ArrayList<>();
        for (int i = 1; i <= 1_000; i++) {
            String payer = "ab-payer-" + i;
            payers.add(clients.submit(() -> {
                Map<String, Object> first = pay(payer);
                assertThat(first.get("dependency")).as("back's version for %s", payer).isEqualTo(first.get("version"));
                assertThat(first.get("cohort")).isEqualTo(payer);
                Map<String, Object> again = pay(payer);
                assertThat(again.get("version")).as("front's version for %s the second time", payer)
                        .isEqualTo(first.get("version"));
                assertThat(again.get("dependency")).isEqualTo(first.get("version"));
                return "2.0".equals(first.get("version"));
            }));
        }
        int treated = 0;
        try {
            for (java.util.concurrent.Future<Boolean> p : payers) {
                treated += p.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("ab-routing: %d of 1000 payers on the treatment (split 10%%)%n", treated);
        assertThat(treated).as("payers of 1,000 on 2.0").isBetween(70, 130);
    }

    @Test
    void changingTheExperimentInEtcdReroutesRunningServicesWithoutARestart() {
        String payer = payerIn(false);
        experiment(0, "{\"header\": \"X-Remit-Cohort\"}");
        Await.until("split 0: the payer on 1.0 of both", () -> allRoute(payer, "1.0"));
        experiment(100, "{\"header\": \"X-Remit-Cohort\"}");
        Await.until("split 100: the same payer on 2.0 of both", () -> allRoute(payer, "2.0"));
        new KeyValues(etcd).delete(Keys.experiment("new-fees"));
        Await.until("no experiment: the payer's calls spread over both versions again", () -> {
            java.util.Set<Object> versions = new java.util.HashSet<>();
            for (int i = 0; i < 40; i++) {
                Map<String, Object> answer = pay(payer);
                versions.add(answer.get("version") + "/" + answer.get("dependency"));
            }
            return versions.size() > 1;
        });
    }

    @Test
    void whereARequestEntersWithoutAKeyTheBodyFieldTheExperimentNamesIsItsKey() throws Exception {
        experiment(10, "{\"field\": \"payerId\"}");
        Experiment e = new Experiment("new-fees", 10, Experiment.Cohort.ofField("payerId"),
                Map.of("back", new Experiment.Arms("1.0", "2.0")));
        DropwizardTestSupport<RemitConfiguration> entry = byName.get("front-1.0");
        Await.until("front reads the field experiment", () -> {
            try {
                return JSON.readValue(post(entry.getLocalPort(), "/echo/pay/back", "{\"payerId\": \"" + payerIn(true) + "\"}")
                        .body(), MAP).get("dependency").equals("2.0");
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        });
        for (int i = 1; i <= 200; i++) {
            String payer = "field-payer-" + i;
            HttpResponse<String> r = post(entry.getLocalPort(), "/echo/pay/back",
                    "{\"amount\": {\"payerId\": \"not this one\"}, \"payerId\": \"" + payer + "\", \"schoolId\": \"s1\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Map<String, Object> answer = JSON.readValue(r.body(), MAP);
            assertThat(answer.get("cohort")).isEqualTo(payer);
            assertThat(answer.get("dependency")).as(payer).isEqualTo(e.versionFor("back", payer));
            assertThat(r.headers().firstValue("X-Remit-Version")).hasValue("1.0");
        }
    }

    @Test
    void everyAnswerSaysWhichVersionServedIt() throws Exception {
        for (Map.Entry<String, DropwizardTestSupport<RemitConfiguration>> app : byName.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + app.getValue().getLocalPort() + "/echo/trace")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("X-Remit-Version")).as(app.getKey())
                    .hasValue(app.getKey().substring(app.getKey().indexOf('-') + 1));
        }
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
