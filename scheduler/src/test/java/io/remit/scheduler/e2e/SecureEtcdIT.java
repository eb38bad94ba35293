package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdAccessPolicy;
import io.remit.registry.etcd.EtcdAuth;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.RegistryException;
import io.remit.testkit.EtcdServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack on an etcd with TLS, client certificates and authentication, as
 * {@code ./remit local --secure-etcd} runs it: every client shows a certificate of etcd's CA (the
 * scheduler its own, each executor and its service the executors'), the scheduler signs in as
 * {@code remit-scheduler}, makes hello's own etcd users with the root credential, and hello's
 * executor registers the instance as {@code remit-executor-hello}, while the hello JVM gets
 * {@code remit-service-hello} (and never the executor's or the scheduler's password). Deleting
 * hello takes its users away once its instance is gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    private Path schedulerPassword;
    private Path rootPassword;
    private Path secretsKey;

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdServer.start(EtcdServer.Security.MUTUAL_TLS_AND_AUTH);
        try (Etcd root = Etcd.connect(RealAgentStack.observer(etcd))) { // as ./remit local does with etcdctl
            EtcdAuth auth = new EtcdAuth(root);
            auth.ensureRole(EtcdAccessPolicy.scheduler());
            auth.ensureUser(EtcdAccessPolicy.SCHEDULER, SCHEDULER_PASSWORD, EtcdAccessPolicy.SCHEDULER, false);
        }
        schedulerPassword = Files.writeString(work.resolve("scheduler.password"), SCHEDULER_PASSWORD + "\n");
        rootPassword = Files.writeString(work.resolve("root.password"), etcd.rootPassword() + "\n");
        secretsKey = Files.writeString(work.resolve("secrets.key"), "0123456789abcdef0123456789abcdef");
        stack = RealAgentStack.start(work, etcd);
        scheduler = startScheduler(Duration.ofSeconds(1));
    }

    /** A scheduler as ./remit local --secure-etcd configures it, sweeping every {@code sweepInterval}; once it leads. */
    private SchedulerHarness startScheduler(Duration sweepInterval) throws Exception {
        SchedulerHarness started = stack.scheduler(SchedulerHarness.freePort(), c -> {
            c.etcd.user = EtcdAccessPolicy.SCHEDULER;
            c.etcd.passwordFile = schedulerPassword.toString();
            c.etcd.caFile = etcd.caFile().toString();
            c.etcd.certFile = etcd.clientCert("scheduler").certFile().toString();
            c.etcd.keyFile = etcd.clientCert("scheduler").keyFile().toString();
            c.etcd.executorCertFile = etcd.clientCert("executor").certFile().toString();
            c.etcd.executorKeyFile = etcd.clientCert("executor").keyFile().toString();
            c.etcd.access.sweepInterval = sweepInterval;
            c.etcd.access.enabled = true;
            c.etcd.access.adminUser = EtcdServer.ROOT_USER;
            c.etcd.access.adminPasswordFile = rootPassword.toString();
            c.secretsKeyFile = secretsKey.toString();
            c.mesos.executorEarlyStart = true; // as ./remit local: skipped for a service with its own etcd user
        });
        started.await("/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(),
                Duration.ofSeconds(60));
        return started;
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
    @Order(1)
    void theExecutorRegistersWithItsServicesOwnUserAndTheServiceGetsAnother() throws Exception {
        String taskId = deployHello();
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
                "REMIT_ETCD_CA_FILE=" + sandbox.resolve("etcd-ca.pem").toAbsolutePath(),
                "REMIT_ETCD_CERT_FILE=" + sandbox.resolve("etcd-client.pem").toAbsolutePath(),
                "REMIT_ETCD_KEY_FILE=" + sandbox.resolve("etcd-client.key").toAbsolutePath());
        assertThat(sandbox.resolve("etcd-client.pem")).hasSameTextualContentAs(etcd.clientCert("executor").certFile());

        // What the service was given lets it in, as its kit connects: its user, the CA, the certificate.
        Map<String, String> env = vars.stream().filter(v -> v.startsWith("REMIT_ETCD_"))
                .collect(Collectors.toMap(v -> v.substring(0, v.indexOf('=')), v -> v.substring(v.indexOf('=') + 1)));
        EtcdSettings asTheService = EtcdSettings.of(etcd.endpoint())
                .withTls(new EtcdSettings.Tls(Path.of(env.get("REMIT_ETCD_CA_FILE")), Path.of(env.get("REMIT_ETCD_CERT_FILE")),
                        Path.of(env.get("REMIT_ETCD_KEY_FILE"))))
                .withCredentials(env.get("REMIT_ETCD_USER"), env.get("REMIT_ETCD_PASSWORD"));
        try (Etcd service = Etcd.connect(asTheService)) {
            assertThat(new KeyValues(service).get(Keys.discovery("hello", taskId))).isPresent();
        }
        // Without the certificate, the same user and password are refused.
        EtcdSettings noCert = asTheService.withTls(new EtcdSettings.Tls(etcd.caFile(), null, null))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
        try (Etcd service = Etcd.connect(noCert)) {
            assertThatThrownBy(() -> new KeyValues(service).get(Keys.discovery("hello", taskId)))
                    .isInstanceOf(RegistryException.class);
        }
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

    @Test
    @Order(2)
    void deletingTheServiceRemovesItsUsersOnceItsInstanceIsGoneAndMakingItAgainGivesItNewOnes() throws Exception {
        String first = deployHello();
        String sealed = sealedPasswords().orElseThrow();

        HttpResponse<String> delete = scheduler.send("DELETE", SERVICE, null);
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(204);
        awaitUsersGone();
        assertThat(stack.discovery.instance(first)).as("the instance is gone").isEmpty();

        String second = deployHello();
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readString(stack.sandbox(second).resolve("stderr")))
                .contains("task " + second + " registers in etcd as user remit-executor-hello");
        assertThat(sealedPasswords().orElseThrow()).as("new passwords").isNotEqualTo(sealed);

        // The Marathon API's delete too.
        HttpResponse<String> marathon = scheduler.send("DELETE", "/v2/apps/hello", null);
        assertThat(marathon.statusCode()).as(marathon.body()).isEqualTo(200);
        awaitUsersGone();
    }

    @Test
    @Order(3)
    void aLeaderThatStopsRightAfterTheDeleteLeavesTheRemovalToItsSuccessor() throws Exception {
        scheduler.close();
        scheduler = startScheduler(Duration.ofHours(1)); // it sweeps when elected (before the delete), then not again
        String task = deployHello();
        HttpResponse<String> delete = scheduler.send("DELETE", SERVICE, null);
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(204);
        scheduler.close();
        try (Etcd root = Etcd.connect(RealAgentStack.observer(etcd))) {
            assertThat(new EtcdAuth(root).userRoles("remit-executor-hello")).as("no scheduler has removed them yet").isPresent();
        }

        scheduler = startScheduler(Duration.ofSeconds(1));
        awaitUsersGone();
        assertThat(stack.discovery.instance(task)).isEmpty();
    }

    /** PUTs hello (one instance) and waits until it is healthy and in discovery; its task id. */
    private String deployHello() throws Exception {
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
        return taskId;
    }

    private java.util.Optional<String> sealedPasswords() {
        try (Etcd root = Etcd.connect(RealAgentStack.observer(etcd))) {
            return new KeyValues(root).get(Keys.access("hello")).map(io.remit.registry.etcd.KeyValue::string);
        }
    }

    private void awaitUsersGone() {
        try (Etcd root = Etcd.connect(RealAgentStack.observer(etcd))) {
            EtcdAuth auth = new EtcdAuth(root);
            KeyValues kv = new KeyValues(root);
            stack.until("hello's etcd users and passwords removed", START, () -> auth.userRoles("remit-executor-hello").isEmpty()
                    && auth.userRoles("remit-service-hello").isEmpty() && kv.get(Keys.access("hello")).isEmpty());
            assertThat(auth.rolePermissions("remit-executor-hello")).isEmpty();
            assertThat(auth.rolePermissions("remit-service-hello")).isEmpty();
        }
    }
}
