package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.registry.Etcd;
import io.remit.registry.EtcdAccessPolicy;
import io.remit.registry.EtcdAuth;
import io.remit.registry.Instance;
import io.remit.registry.KeyValues;
import io.remit.registry.Keys;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack on an etcd with TLS and authentication, as {@code ./remit local --secure-etcd} runs
 * it: the scheduler signs in as {@code remit-scheduler}, makes hello's own etcd users with the
 * root credential, and hello's executor registers the instance as {@code remit-executor-hello},
 * while the hello JVM gets {@code remit-service-hello} (and never the executor's or the
 * scheduler's password).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureEtcdIT {

    private static final String SERVICE = "/v1/services/hello";
    private static final String INSTANCES = SERVICE + "/instances";
    private static final Duration START = Duration.ofSeconds(90);
    private static final String SCHEDULER_PASSWORD = "scheduler-pw-" + System.nanoTime();

    @TempDir
    static Path work;
    private EtcdServer etcd;
    private RealAgentStack stack;
    private SchedulerHarness scheduler;

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdServer.start(EtcdServer.Security.TLS_AND_AUTH);
        try (Etcd root = Etcd.connect(RealAgentStack.observer(etcd))) { // as ./remit local does with etcdctl
            EtcdAuth auth = new EtcdAuth(root);
            auth.ensureRole(EtcdAccessPolicy.scheduler());
            auth.ensureUser(EtcdAccessPolicy.SCHEDULER, SCHEDULER_PASSWORD, EtcdAccessPolicy.SCHEDULER, false);
        }
        Path schedulerPassword = Files.writeString(work.resolve("scheduler.password"), SCHEDULER_PASSWORD + "\n");
        Path rootPassword = Files.writeString(work.resolve("root.password"), etcd.rootPassword() + "\n");
        Path secretsKey = Files.writeString(work.resolve("secrets.key"), "0123456789abcdef0123456789abcdef");
        stack = RealAgentStack.start(work, etcd);
        scheduler = stack.scheduler(SchedulerHarness.freePort(), c -> {
            c.etcd.user = EtcdAccessPolicy.SCHEDULER;
            c.etcd.passwordFile = schedulerPassword.toString();
            c.etcd.caFile = etcd.caFile().toString();
            c.etcd.access.enabled = true;
            c.etcd.access.adminUser = EtcdServer.ROOT_USER;
            c.etcd.access.adminPasswordFile = rootPassword.toString();
            c.secretsKeyFile = secretsKey.toString();
            c.mesos.executorEarlyStart = true; // as ./remit local: skipped for a service with its own etcd user
        });
        scheduler.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void theExecutorRegistersWithItsServicesOwnUserAndTheServiceGetsAnother() throws Exception {
        HttpResponse<String> put = scheduler.send("PUT", SERVICE, RealAgentStack.helloSpec(1, "0.1.0"));
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        JsonNode instances;
        try {
            instances = scheduler.await(INSTANCES, all -> all.size() == 1
                    && all.get(0).path("state").asText().equals("HEALTHY"), START);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + stack.logs(), e);
        }
        String taskId = instances.get(0).path("taskId").asText();
        stack.until("the record of " + taskId + " in discovery", START, () -> stack.discovery.instance(taskId).isPresent());
        Instance record = stack.discovery.instance(taskId).orElseThrow();
        assertThat(RealAgentStack.get(record.host(), record.port("http").orElseThrow(), "/hello?name=remit")
                .map(HttpResponse::statusCode)).contains(200);

        Path sandbox = stack.sandbox(taskId);
        assertThat(Files.readString(sandbox.resolve("stderr")))
                .contains("task " + taskId + " registers in etcd as user remit-executor-hello");
        assertThat(sandbox.resolve("etcd-ca.pem")).hasSameTextualContentAs(etcd.caFile());

        String serviceEnv = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(stack.servicePid(taskId)), "environ")),
                StandardCharsets.UTF_8);
        List<String> vars = List.of(serviceEnv.split("\0"));
        assertThat(vars).contains("REMIT_ETCD_USER=remit-service-hello",
                "REMIT_ETCD_CA_FILE=" + sandbox.resolve("etcd-ca.pem").toAbsolutePath());
        assertThat(serviceEnv).doesNotContain(SCHEDULER_PASSWORD).doesNotContain(etcd.rootPassword())
                .doesNotContain("REMIT_LAUNCH_SPEC");

        try (Etcd root = Etcd.connect(RealAgentStack.observer(etcd))) {
            EtcdAuth auth = new EtcdAuth(root);
            assertThat(auth.userRoles("remit-executor-hello")).contains(List.of("remit-executor-hello"));
            assertThat(auth.userRoles("remit-service-hello")).contains(List.of("remit-service-hello"));
            String sealed = new KeyValues(root).get(Keys.access("hello")).orElseThrow().string();
            assertThat(sealed).contains("\"executor\":\"v1.");
        }
    }
}
