package io.remit.scheduler.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.LocalCluster;
import io.remit.scheduler.auth.Role;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./remit}'s operator verbs as a person runs them: the real script, the command line's
 * jar in its own JVM, a real scheduler on a real etcd. What each prints, and the exit status a
 * script relies on: 0 done, 1 refused (with the API's reason), 2 a wrong command line, 3 no
 * scheduler.
 */
@ExtendWith(EtcdExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    static final String OPERATOR_TOKEN = "cli-op-5a7c9e1b3d2f4a6c8e";
    static final String VIEWER_TOKEN = "cli-viewer-1b2c3d4e5f6a7b8c";

    Path work;
    Path specs;
    LocalCluster cluster;
    SchedulerHarness scheduler;
    EtcdServer etcd;

    @BeforeAll
    void start(EtcdServer etcd) throws Exception {
        this.etcd = etcd;
        work = Files.createTempDirectory("cli-it");
        specs = Files.createDirectories(work.resolve("services"));
        Files.writeString(specs.resolve("hello.yml"), hello("1.0.0", 1));
        cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(1).workDir(work.resolve("cluster")).start();
        scheduler = new SchedulerHarness(etcd, cluster.masterUrl(), SchedulerHarness.freePort(), specs.toString(), c -> {
            c.auth.enabled = true;
            c.auth.users = List.of(SchedulerHarness.user("ci-pipeline", Role.operator, OPERATOR_TOKEN, null),
                    SchedulerHarness.user("vera", Role.viewer, VIEWER_TOKEN, null));
        });
        Run leader = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (leader == null || leader.status() != 0) {
            assertThat(System.nanoTime()).as("the scheduler answers within 60 s: " + leader).isLessThan(deadline);
            leader = remit("services");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        SchedulerHarness.wipe(etcd);
    }

    static String hello(String version, int instances) {
        return """
                id: hello
                version: "%s"
                artifacts: ["{{artifacts}}/hello.jar"]
                instances: %d
                resources: {cpus: 0.1, memMb: 64, diskMb: 0, ports: [http, admin]}
                env:
                  GREETING: hi
                  API_KEY: {value: k-31337-cli-secret, secret: true}
                """.formatted(version, instances);
    }

    /** What one run of ./remit printed, and its exit status. */
    record Run(int status, String out, String err) {
    }

    /** {@code ./remit args... --scheduler URL --token T}, with an empty --var (no credentials of a real ./remit local). */
    Run remit(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--scheduler", scheduler.url, "--var", work.resolve("var").toString()));
        if (all.stream().noneMatch(a -> a.equals("--token"))) {
            all.addAll(List.of("--token", OPERATOR_TOKEN));
        }
        return run(all);
    }

    static Run run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("remit.script"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("REMIT_CLI_JAR", System.getProperty("remit.cli.jar"));
        pb.environment().remove("REMIT_TOKEN");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./remit " + args + " did not end within 60 s");
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    static String read(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    JsonNode api(String path) throws Exception {
        return SchedulerHarness.JSON.readTree(scheduler.send("GET", path, null, "Bearer " + OPERATOR_TOKEN).body());
    }

    @Test
    void anOperatorDeploysLooksScalesDiffsAndRollsBackFromTheCommandLine() throws Exception {
        Run loaded = remit("revisions", "hello");
        assertThat(loaded.status()).as(loaded.toString()).isZero();
        assertThat(loaded.out()).startsWith("REVISION").contains("1 (current)").contains(" remit ")
                .contains("loaded from " + specs.resolve("hello.yml"));

        Path v2 = work.resolve("hello-2.yml");
        Files.writeString(v2, hello("2.0.0", 1));
        Run deployed = remit("deploy", v2.toString(), "-m", "hello 2.0: the new greeting");
        assertThat(deployed.status()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).isEqualTo("hello: revision 2 (version 2.0.0); replacing its instances (rolling): ./remit deployments hello\n");

        Run scaled = remit("scale", "hello", "2");
        assertThat(scaled.status()).isZero();
        assertThat(scaled.out()).isEqualTo("scaling hello from 1 to 2 instances\n");

        Run services = remit("services");
        assertThat(services.out()).startsWith("SERVICE").containsPattern("hello +2\\.0\\.0 +\\S+ +\\d/2");
        Run status = remit("status", "hello");
        assertThat(status.status()).isZero();
        assertThat(status.out()).contains("version   2.0.0").contains("revision  2 by ci-pipeline at ")
                .contains(": hello 2.0: the new greeting");

        Run revisions = remit("revisions", "hello");
        assertThat(revisions.out().lines().toList()).hasSize(3);
        assertThat(revisions.out()).contains("2 (current)").contains("ci-pipeline").contains("hello 2.0: the new greeting");

        Run diff = remit("diff", "hello", "1", "2");
        assertThat(diff.status()).isZero();
        assertThat(diff.out()).startsWith("--- hello revision 1\n+++ hello revision 2\n")
                .contains("\n-version: 1.0.0\n+version: 2.0.0\n").doesNotContain("k-31337-cli-secret");

        Run back = remit("rollback", "hello", "-m", "2.0 greets in the wrong language");
        assertThat(back.status()).as(back.toString()).isZero();
        assertThat(back.out()).isEqualTo("rolling hello back to revision 1 as revision 3, 2 instances;"
                + " a deployment replaces them (GET /v1/deployments?service=hello)\n");
        JsonNode now = api("/v1/services/hello");
        assertThat(now.path("spec").path("version").asText()).isEqualTo("1.0.0");
        assertThat(now.path("spec").path("instances").asInt()).isEqualTo(2);
        assertThat(api("/v1/services/hello/revisions/3").path("message").asText()).isEqualTo("2.0 greets in the wrong language");

        Run json = remit("revisions", "hello", "--json");
        assertThat(SchedulerHarness.JSON.readTree(json.out()).path("current").asInt()).isEqualTo(3);
        Run restarted = remit("restart", "hello");
        assertThat(restarted.status()).isZero();
        assertThat(restarted.out()).startsWith("replacing every instance of hello");
    }

    @Test
    void withoutOptionsTheAddressAndTokenOfTheRunningLocalRemitAreUsed() throws Exception {
        // What ./remit local leaves in its var folder: its addresses, and the credentials it made.
        Path var = Files.createDirectories(work.resolve("var-local"));
        Files.writeString(var.resolve("local.env"), "REMIT_SCHEDULER_URL=" + scheduler.url + "\n");
        Files.writeString(var.resolve("credentials"), "REMIT_TOKEN=" + OPERATOR_TOKEN
                + "\nREMIT_VIEWER_USER=viewer\nREMIT_VIEWER_PASSWORD=x\n");

        Run services = run(List.of("services", "--var", var.toString()));

        assertThat(services.status()).as(services.toString()).isZero();
        assertThat(services.out()).contains("hello");
        Run withoutCredentials = run(List.of("services", "--var", work.resolve("var").toString(), "--scheduler", scheduler.url));
        assertThat(withoutCredentials.status()).isEqualTo(1);
        assertThat(withoutCredentials.err()).startsWith("remit: credentials are required");
    }

    @Test
    void aRefusalExitsOneWithTheSchedulersReasonAndAWrongCommandLineTwo() throws Exception {
        JsonNode before = api("/v1/services/hello/revisions");
        Run unknownRevision = remit("rollback", "hello", "99");
        assertThat(unknownRevision.status()).isEqualTo(1);
        assertThat(unknownRevision.err()).startsWith("remit: service 'hello' has no revision 99\n  revision: no revision 99 of hello;");
        assertThat(unknownRevision.out()).isEmpty();

        Run noService = remit("status", "nosuch");
        assertThat(noService.status()).isEqualTo(1);
        assertThat(noService.err()).isEqualTo("remit: service 'nosuch' not found\n");

        Path bad = work.resolve("bad.yml");
        Files.writeString(bad, "id: hello\nversion: \"3.0\"\ninstances: -2\nresources: {cpus: 0, memMb: 64}\n");
        Run invalid = remit("deploy", bad.toString());
        assertThat(invalid.status()).isEqualTo(1);
        assertThat(invalid.err()).startsWith("remit: invalid service spec: ").contains("\n  instances: ")
                .contains("\n  resources.cpus: ");

        Run viewer = remit("scale", "hello", "5", "--token", VIEWER_TOKEN);
        assertThat(viewer.status()).isEqualTo(1);
        assertThat(viewer.err()).contains("vera is a viewer and may not change anything");
        Run wrongToken = remit("services", "--token", "not-a-token");
        assertThat(wrongToken.status()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("the credentials are not valid").contains("--token");

        assertThat(remit("scale", "hello").status()).isEqualTo(2);
        assertThat(remit("scale", "hello", "many").err()).isEqualTo("remit: N must be a whole number of instances, got 'many'\n");
        assertThat(remit("deploy", work.resolve("missing.yml").toString()).status()).isEqualTo(2);
        assertThat(remit("services", "--frobnicate").status()).isEqualTo(2);

        Run nobody = run(List.of("services", "--scheduler", "http://127.0.0.1:" + SchedulerHarness.freePort(),
                "--var", work.resolve("var").toString()));
        assertThat(nobody.status()).isEqualTo(3);
        assertThat(nobody.err()).startsWith("remit: cannot reach the scheduler at http://127.0.0.1:");

        Run help = run(List.of("help"));
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("rollback SVC [REV] [-m MSG]");
        assertThat(api("/v1/services/hello/revisions")).as("nothing refused was changed").isEqualTo(before);
    }

    static String greeter(String version, String deployment) {
        return """
                id: greeter
                version: "%s"
                artifacts: ["{{artifacts}}/hello.jar"]
                instances: 2
                resources: {cpus: 0.1, memMb: 64, diskMb: 0, ports: [http, admin]}
                deployment: %s
                """.formatted(version, deployment);
    }

    @Test
    void aCanaryIsFollowedPausedAndResumedFromTheCommandLineAndWatchSaysHowItEnded() throws Exception {
        String canary = "{strategy: canary, steps: [{instances: 1, pause: manual}]}";
        Path v1 = work.resolve("greeter-1.yml");
        Files.writeString(v1, greeter("1.0.0", canary));
        assertThat(remit("deploy", v1.toString()).status()).isZero();
        long up = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api("/v1/services/greeter").path("status").path("healthy").asInt() != 2) {
            assertThat(System.nanoTime()).as("greeter 1.0.0 is healthy").isLessThan(up);
        }
        Path v2 = work.resolve("greeter-2.yml");
        Files.writeString(v2, greeter("2.0.0", canary));
        assertThat(remit("deploy", v2.toString(), "-m", "greeter 2").status()).isZero();

        String id = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (id == null) {
            assertThat(System.nanoTime()).as("the canary pauses after its first step").isLessThan(deadline);
            JsonNode list = api("/v1/deployments?service=greeter&state=paused");
            id = list.size() == 1 ? list.get(0).path("id").asText() : null;
        }
        Run listed = remit("deployments", "greeter");
        assertThat(listed.status()).isZero();
        assertThat(listed.out()).startsWith("DEPLOYMENT").contains(id).contains("canary").contains("1.0.0 -> 2.0.0")
                .contains("paused").contains("step 1 of 2 done: waiting to be resumed");

        Run resumed = remit("resume", id);
        assertThat(resumed.status()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).startsWith(id + ": running (resumed by ci-pipeline at step 1)");
        Run watched = remit("watch", id);
        assertThat(watched.status()).as(watched.toString()).isZero();
        assertThat(watched.out().strip().lines().reduce((a, b) -> b).orElse("")).contains("succeeded · step 2 of 2");

        // A deployment that is rolled back: watch exits 1 with the reason.
        Path v3 = work.resolve("greeter-3.yml");
        Files.writeString(v3, greeter("3.0.0", canary));
        remit("deploy", v3.toString());
        String third = null;
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (third == null) {
            assertThat(System.nanoTime()).as("the third canary pauses").isLessThan(deadline);
            JsonNode list = api("/v1/deployments?service=greeter&state=paused");
            third = list.size() == 1 ? list.get(0).path("id").asText() : null;
        }
        scheduler.send("POST", "/v1/deployments/" + third + "/rollback", "", "Bearer " + OPERATOR_TOKEN);
        Run failed = remit("watch", third);
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.err()).startsWith("remit: " + third + " rolled-back: rolled back by ci-pipeline");
        Run paused = remit("pause", third);
        assertThat(paused.status()).isEqualTo(1);
        assertThat(paused.err()).contains("is rolled-back; only a deployment that is running can pause");
    }
}
