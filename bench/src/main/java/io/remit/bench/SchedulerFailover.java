package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.resources.ResourceSpec;
import io.remit.testkit.EtcdServer;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Scheduler failover: two scheduler processes (the real jar), 1,000 instances on simulated
 * agents; {@code kill -9} the leader and time until the standby leads, is subscribed and has
 * reconciled every task, and count what was relaunched (target: under 5 s, zero relaunches).
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.remit.bench.SchedulerFailover [instances] [leaderTtlSeconds]}
 * from the repository root (it starts {@code scheduler/target/scheduler.jar}).
 */
public final class SchedulerFailover {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SchedulerFailover() {
    }

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int ttl = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("remit-bench-failover");
        try (EtcdServer etcd = EtcdServer.start();
             LocalCluster cluster = LocalCluster.builder().freePorts().agents(0).simulatedAgents(125)
                     .simulatedResources(ResourceSpec.parse("cpus:8;mem:32768;disk:100000;ports:[31000-32000]"))
                     .workDir(work).start()) {
            Process a = scheduler(etcd, cluster, work, "a", ttl);
            Process b = null;
            try {
                String urlA = "http://127.0.0.1:" + port(a);
                await(urlA + "/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean(), 60);
                String spec = """
                        {"id":"load","version":"1","artifacts":["{{artifacts}}/x.jar"],"instances":%d,
                         "resources":{"cpus":0.1,"memMb":32,"diskMb":0,"ports":["admin"]},"config":""}"""
                        .formatted(instances);
                HTTP.send(HttpRequest.newBuilder(URI.create(urlA + "/v1/services")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
                Instant placing = Instant.now();
                await(urlA + "/v1/services/load", s -> s.path("status").path("healthy").asInt() == instances, 300);
                System.out.printf("%d instances healthy on 125 simulated agents in %.1f s%n", instances,
                        Duration.between(placing, Instant.now()).toMillis() / 1000.0);
                b = scheduler(etcd, cluster, work, "b", ttl);
                String urlB = "http://127.0.0.1:" + port(b);
                await(urlB + "/v1/leader", l -> urlA.equals(l.path("leader").asText()), 60);
                Set<String> before = taskIds(urlB);
                int launchedBefore = launchedOnMaster(cluster);

                long start = System.nanoTime();
                a.destroyForcibly();
                await(urlB + "/v1/leader", l -> l.path("isLeader").asBoolean() && l.path("subscribed").asBoolean()
                        && l.path("reconciling").asInt() == 0, 120);
                double leadSeconds = (System.nanoTime() - start) / 1e9;
                await(urlB + "/v1/services/load", s -> s.path("status").path("healthy").asInt() == instances, 60);
                Set<String> after = taskIds(urlB);
                Set<String> relaunched = new HashSet<>(after);
                relaunched.removeAll(before);
                System.out.printf("kill -9 of the leader -> standby leads, subscribed and reconciled %d tasks in %.2f s "
                                + "(leader lease TTL %d s); relaunched: %d; tasks launched on the master before/after: %d/%d%n",
                        before.size(), leadSeconds, ttl, relaunched.size(), launchedBefore, launchedOnMaster(cluster));
            } finally {
                a.destroyForcibly();
                if (b != null) {
                    b.destroyForcibly();
                }
            }
        }
    }

    private static Process scheduler(EtcdServer etcd, LocalCluster cluster, Path work, String name, int ttl) throws Exception {
        int port = EtcdServer.freePort();
        Path var = Files.createDirectories(work.resolve(name));
        Path specs = Files.createDirectories(work.resolve("no-specs"));
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", "scheduler/target/scheduler.jar", "server",
                "configs/scheduler.yml");
        pb.environment().put("REMIT_PORT", Integer.toString(port));
        pb.environment().put("REMIT_ADMIN_PORT", Integer.toString(EtcdServer.freePort()));
        pb.environment().put("REMIT_VAR", var.toString());
        pb.environment().put("REMIT_SPECS", specs.toString());
        pb.environment().put("ETCD_ENDPOINT", etcd.endpoint());
        pb.environment().put("MESOS_MASTER", cluster.masterUrl());
        pb.environment().put("REMIT_LEADER_TTL", "PT" + ttl + "S");
        // Loopback only; access control is not what is measured.
        pb.environment().put("REMIT_AUTH", "false");
        Files.createDirectories(var.resolve("log"));
        pb.redirectErrorStream(true).redirectOutput(new File(var.resolve("log/scheduler.out").toString()));
        Process p = pb.start();
        PORTS.put(p.pid(), port);
        return p;
    }

    private static final java.util.Map<Long, Integer> PORTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static int port(Process p) {
        return PORTS.get(p.pid());
    }

    private static Set<String> taskIds(String url) throws Exception {
        Set<String> ids = new HashSet<>();
        get(url + "/v1/services/load/instances").forEach(t -> ids.add(t.path("taskId").asText()));
        return ids;
    }

    private static int launchedOnMaster(LocalCluster cluster) {
        int n = 0;
        for (Object fw : (java.util.List<?>) cluster.master().state().get("frameworks")) {
            java.util.Map<?, ?> f = (java.util.Map<?, ?>) fw;
            n += ((java.util.List<?>) f.get("tasks")).size() + ((java.util.List<?>) f.get("completed_tasks")).size();
        }
        return n;
    }

    private static JsonNode get(String url) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void await(String url, Predicate<JsonNode> ok, int seconds) throws Exception {
        Instant deadline = Instant.now().plusSeconds(seconds);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = get(url);
                if (ok.test(last)) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = null;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("timed out on " + url + "; last " + last);
    }
}
