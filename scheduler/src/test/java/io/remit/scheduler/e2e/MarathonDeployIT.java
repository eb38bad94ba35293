package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.marathon.deploy.MarathonDeploy;
import io.remit.scheduler.auth.Credentials;
import io.remit.scheduler.auth.Role;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mesosphere.marathon.client.Marathon;
import mesosphere.marathon.client.MarathonClient;
import mesosphere.marathon.client.MarathonException;
import mesosphere.marathon.client.model.v2.App;
import mesosphere.marathon.client.model.v2.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./remit marathon-deploy} against Remit's own {@code /v2}, standing in for Marathon: the
 * app it creates is what was asked for, really runs a second scheduler (a standby of the first,
 * healthy at its admin {@code /healthcheck}), and deploying again changes nothing.
 */
@ExtendWith(EtcdExtension.class)
class MarathonDeployIT {

    static final String TOKEN = "deploy-5e6f7a8b9c0d1e2f3a4b";
    static final Duration LONG = Duration.ofSeconds(180);

    @TempDir
    Path work;
    RealAgentStack stack;
    SchedulerHarness scheduler;
    Marathon marathon;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start(EtcdServer etcd) throws Exception {
        stack = RealAgentStack.start(work, etcd, "cpus:4;mem:8192;disk:10000;ports:[30000-30999]");
        scheduler = stack.scheduler(SchedulerHarness.freePort(), c -> {
            c.auth.enabled = true;
            c.auth.users = List.of(SchedulerHarness.user("ci", Role.operator, TOKEN, null));
        });
        marathon = MarathonClient.getInstanceWithTokenAuth(scheduler.url, TOKEN);
        stack.until("the scheduler leads", Duration.ofSeconds(60), () -> {
            try {
                return Boolean.TRUE.equals(marathon.getServerInfo().getElected());
            } catch (MarathonException e) {
                return false;
            }
        });
    }

    @AfterEach
    void stop(EtcdServer etcd) throws Exception {
        scheduler.close();
        stack.close();
        SchedulerHarness.wipe(etcd);
    }

    @Test
    void deploysTheSchedulerAsAnAppThatRunsAStandbyAndRedeployingChangesNothing(EtcdServer etcd) throws Exception {
        Path credentials = work.resolve("credentials.yml");
        Files.writeString(credentials, """
                users:
                  - name: ci
                    role: operator
                    token: %s
                """.formatted(Credentials.hash(TOKEN)));
        String[] options = {"--marathon", scheduler.url, "--token", TOKEN,
            "--scheduler-jar", Path.of(System.getProperty("remit.scheduler.jar")).toUri().toString(),
            "--config", Path.of(System.getProperty("remit.scheduler.config")).toUri().toString(),
            "--credentials", credentials.toUri().toString(),
            "--artifacts", scheduler.url + "/artifacts", "--etcd", etcd.endpoint(),
            "--mesos-master", stack.cluster.masterUrl(), "--instances", "1", "--cpus", "0.5", "--mem", "448",
            "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString()};

        Run first = deploy(options);
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("created /remit-scheduler on " + scheduler.url);

        App app = marathon.getApp("remit-scheduler").getApp();
        App asked = MarathonDeploy.app(options);
        assertThat(app.getCmd()).isEqualTo(asked.getCmd());
        assertThat(app.getInstances()).isEqualTo(1);
        assertThat(app.getMem()).isEqualTo(448.0);
        assertThat(app.getConstraints()).containsExactly(List.of("hostname", "UNIQUE"));
        assertThat(app.getHealthChecks()).singleElement().satisfies(h -> {
            assertThat(h.getPath()).isEqualTo("/healthcheck");
            assertThat(h.getPortIndex()).isEqualTo(1);
        });
        assertThat(app.getPortDefinitions()).extracting(p -> p.getName()).containsExactly("http", "admin");
        assertThat(app.getEnv()).containsEntry("ETCD_ENDPOINT", etcd.endpoint())
                .containsEntry("MESOS_MASTER", stack.cluster.masterUrl());
        assertThat(app.getFetch()).extracting(f -> f.getUri()).containsExactly(options[5], options[7], options[9]);

        stack.until("the scheduler app is healthy", LONG, () -> healthyTask() != null);
        Task task = healthyTask();
        List<Integer> ports = List.copyOf(task.getPorts());
        JsonNode leader = SchedulerHarness.JSON.readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://" + task.getHost() + ":" + ports.get(0) + "/v1/leader"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(leader.path("isLeader").asBoolean()).as("the deployed scheduler is a standby: %s", leader).isFalse();
        assertThat(leader.path("leader").asText()).isEqualTo(scheduler.url);

        String version = ((mesosphere.marathon.client.model.v2.VersionedApp) app).getVersion();
        Run again = deploy(options);
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).startsWith("updated /remit-scheduler on " + scheduler.url + ": version " + version);
        assertThat(healthyTask().getId()).isEqualTo(task.getId());

        marathon.deleteApp("remit-scheduler");
        stack.until("the scheduler app's task is gone", LONG, () -> marathon.getTasks().getTasks().isEmpty());
    }

    private Task healthyTask() {
        return marathon.getAppTasks("remit-scheduler").getTasks().stream()
                .filter(t -> t.getHealthCheckResults() != null
                        && t.getHealthCheckResults().stream().anyMatch(r -> Boolean.TRUE.equals(r.getAlive())))
                .findFirst().orElse(null);
    }

    record Run(int status, String out, String err) {}

    private static Run deploy(String[] options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MarathonDeploy.run(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
