package io.remit.executor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.remit.executor.api.LaunchSpec;
import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import io.remit.mesos.scheduler.SchedulerCalls;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.Instance;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.testkit.EtcdServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Everything an executor test needs, all real: a {@link LocalCluster} with one process agent
 * (zone {@code zone-a}), a {@link TestScheduler}, the given etcd and a {@link DiscoveryCache} of
 * {@code hello} on it. Tasks run the shaded executor jar and the hello jar that Maven built (see
 * the failsafe configuration), fetched by the agent as a real cluster would.
 */
final class ExecutorHarness implements AutoCloseable {

    static final String ZONE = "zone-a";
    /** Mesos's default; the executor fits drain and stop into four fifths of it: 2 s and 2 s. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** Quick start, small heap; mesos's protoc 3.5 classes would warn once per type on protobuf 3.25 otherwise. */
    static final String EXECUTOR_JVM_OPTIONS =
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m -Dcom.google.protobuf.use_unsafe_pre22_gencode=true";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final Path work;
    final String etcdEndpoint;
    final LocalCluster cluster;
    final TestScheduler scheduler;
    private final Etcd etcd;
    final DiscoveryCache discovery;

    private ExecutorHarness(Path work, EtcdServer etcdServer) throws IOException {
        this.work = work;
        this.etcdEndpoint = etcdServer.endpoint();
        // The agent offers the ephemeral port range, where HelloSpec finds free ports.
        this.cluster = LocalCluster.builder().freePorts().workDir(work.resolve("cluster"))
                .resources(Resources.of(4, 8192, 10_000, Ranges.of(32768, 60999))).zones(List.of(ZONE))
                .executorShutdownGrace(SHUTDOWN_GRACE).allocationInterval(Duration.ofMillis(100)).updateRetry(Duration.ofSeconds(1)).start();
        this.scheduler = TestScheduler.start(cluster.masterUrl());
        this.etcd = Etcd.connect(EtcdSettings.of(etcdEndpoint));
        this.discovery = new DiscoveryCache(etcd, "hello").start();
        assertThat(discovery.awaitReady(Duration.ofSeconds(10))).as("discovery cache ready").isTrue();
    }

    static ExecutorHarness start(Path work, EtcdServer etcd) throws IOException {
        return new ExecutorHarness(work, etcd);
    }

    HelloSpec hello(String taskId) {
        return new HelloSpec(taskId, etcdEndpoint);
    }

    /** Launches the spec's task with its own executor; the agent fetches the executor jar and, if asked, hello.jar. */
    void launch(LaunchSpec spec, boolean fetchHello) {
        launch(spec, fetchHello, ByteString.copyFrom(spec.toJson()));
    }

    /** Launches the spec's task with {@code data} in place of its JSON. */
    void launchRaw(LaunchSpec spec, ByteString data) {
        launch(spec, true, data, null);
    }

    /**
     * Launches {@code spec}'s task with {@code early} in the executor's environment, as the
     * scheduler does, so that the executor starts that before LAUNCH.
     */
    void launchWithEarlySpec(LaunchSpec spec, LaunchSpec early) {
        launch(spec, true, ByteString.copyFrom(spec.toJson()), early);
    }

    private void launch(LaunchSpec spec, boolean fetchHello, ByteString data) {
        launch(spec, fetchHello, data, null);
    }

    private void launch(LaunchSpec spec, boolean fetchHello, ByteString data, LaunchSpec early) {
        launch(spec, fetchHello, data, early, java.util.Map.of(), null);
    }

    /**
     * Launches the spec's task as the Remit scheduler does: {@code executorPort} reserved as a
     * resource of the executor's (null for none) and {@code executorEnv} in its environment.
     */
    void launchWithExecutorEnv(LaunchSpec spec, java.util.Map<String, String> executorEnv, Integer executorPort) {
        launch(spec, true, ByteString.copyFrom(spec.toJson()), null, executorEnv, executorPort);
    }

    private void launch(LaunchSpec spec, boolean fetchHello, ByteString data, LaunchSpec early,
                        java.util.Map<String, String> executorEnv, Integer executorPort) {
        CommandInfo.Builder command = CommandInfo.newBuilder().setShell(true)
                .setValue("java " + EXECUTOR_JVM_OPTIONS + " -jar remit-executor.jar")
                .addUris(uri(jar("remit.executor.jar")));
        org.apache.mesos.v1.Protos.Environment.Builder environment = org.apache.mesos.v1.Protos.Environment.newBuilder();
        if (early != null) {
            environment.addVariables(
                    org.apache.mesos.v1.Protos.Environment.Variable.newBuilder().setName(LaunchSpec.EARLY_START_ENV)
                            .setValue(new String(early.withoutEtcdCredentials().toJson(), java.nio.charset.StandardCharsets.UTF_8)));
        }
        executorEnv.forEach((name, value) -> environment.addVariables(
                org.apache.mesos.v1.Protos.Environment.Variable.newBuilder().setName(name).setValue(value)));
        if (environment.getVariablesCount() > 0) {
            command.setEnvironment(environment);
        }
        if (fetchHello) {
            command.addUris(uri(jar("remit.hello.jar")));
        }
        ExecutorInfo.Builder executorInfo = ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue("exec-" + spec.instanceId()))
                .setCommand(command)
                .addResources(scalar("cpus", 0.05)).addResources(scalar("mem", 96));
        if (executorPort != null) {
            executorInfo.addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                    .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(executorPort).setEnd(executorPort))));
        }
        ExecutorInfo executor = executorInfo.build();
        Value.Ranges.Builder ports = Value.Ranges.newBuilder();
        spec.ports().values().forEach(p -> ports.addRange(Value.Range.newBuilder().setBegin(p).setEnd(p)));
        List<Resource> resources = List.of(scalar("cpus", 0.1), scalar("mem", spec.memMb()),
                Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(ports).build());
        Resources needed = Resources.fromProto(resources).plus(Resources.fromProto(executor.getResourcesList()));
        Offer offer = scheduler.offer(o -> Resources.fromProto(o.getResourcesList()).contains(needed));
        TaskInfo task = TaskInfo.newBuilder().setName(spec.instanceId())
                .setTaskId(TaskID.newBuilder().setValue(spec.instanceId()))
                .setAgentId(offer.getAgentId())
                .setExecutor(executor)
                .addAllResources(resources)
                .setData(data)
                .build();
        Offer.Operation launch = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)).build();
        scheduler.send(SchedulerCalls.accept(List.of(offer.getId()), List.of(launch), Duration.ZERO));
    }

    /** The next update of the task, acknowledged; the failure shows the executor's log. */
    TaskStatus next(String taskId) {
        try {
            return scheduler.nextStatus(taskId, Await.TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + diagnostics(taskId), e);
        }
    }

    /** Launches and waits for TASK_STARTING, then TASK_RUNNING healthy. */
    TaskStatus launchHealthy(LaunchSpec spec) {
        launch(spec, true);
        return awaitHealthy(spec);
    }

    /** Waits for TASK_STARTING, then TASK_RUNNING healthy. */
    TaskStatus awaitHealthy(LaunchSpec spec) {
        TaskStatus starting = next(spec.instanceId());
        assertThat(starting.getState()).as("%s%s", starting.getMessage(), diagnostics(spec.instanceId()))
                .isEqualTo(TaskState.TASK_STARTING);
        TaskStatus running = next(spec.instanceId());
        assertThat(running.getState()).as("%s%s", running.getMessage(), diagnostics(spec.instanceId()))
                .isEqualTo(TaskState.TASK_RUNNING);
        assertThat(running.getHealthy()).isTrue();
        return running;
    }

    void kill(TaskStatus status, Duration gracePeriod) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(status.getTaskId()).setAgentId(status.getAgentId());
        if (gracePeriod != null) {
            kill.setKillPolicy(KillPolicy.newBuilder().setGracePeriod(
                    org.apache.mesos.v1.Protos.DurationInfo.newBuilder().setNanoseconds(gracePeriod.toNanos())));
        }
        scheduler.send(Call.newBuilder().setType(Call.Type.KILL).setKill(kill).build());
    }

    /** SHUTDOWN of the task's executor, as the scheduler sends it to retire an executor. */
    void shutdown(TaskStatus status) {
        scheduler.send(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                .setAgentId(status.getAgentId()).setExecutorId(ExecutorID.newBuilder().setValue("exec-" + status.getTaskId().getValue())))
                .build());
    }

    Optional<Instance> record(String taskId) {
        return discovery.instance(taskId);
    }

    void awaitRecord(String taskId, boolean present) {
        Await.until((present ? "the record of " : "no record of ") + taskId, Await.TIMEOUT,
                () -> record(taskId).isPresent() == present, () -> diagnostics(taskId));
    }

    /** The task's sandbox: the one run directory of its executor. */
    Path sandbox(String taskId) throws IOException {
        Path runs = work.resolve("cluster").resolve("slaves").resolve(cluster.agents().get(0).info().getId().getValue())
                .resolve("frameworks").resolve(scheduler.frameworkId().getValue()).resolve("executors")
                .resolve("exec-" + taskId).resolve("runs");
        try (Stream<Path> list = Files.list(runs)) {
            // runs/latest is the agent's link to the newest run, as on a Mesos agent.
            List<Path> all = list.filter(p -> !Files.isSymbolicLink(p)).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    long servicePid(String taskId) throws IOException {
        return Long.parseLong(Files.readString(sandbox(taskId).resolve("service.pid")).strip());
    }

    /** GET on loopback; the status and body, or empty when nothing answers. */
    static Optional<HttpResponse<String>> get(int port, String pathAndQuery) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static boolean exited(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** The tails of the executor's and the service's logs, for failure messages. */
    String diagnostics(String taskId) {
        StringBuilder b = new StringBuilder();
        try {
            Path sandbox = sandbox(taskId);
            for (String name : List.of("stderr", "service.stdout", "service.stderr")) {
                Path f = sandbox.resolve(name);
                if (Files.exists(f)) {
                    List<String> lines = Files.readAllLines(f);
                    b.append("\n--- ").append(name).append(" (last 30 lines) ---\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            b.append("\n(no sandbox: ").append(e.getMessage()).append(")");
        }
        return b.toString();
    }

    private static String jar(String property) {
        String path = System.getProperty(property);
        assertThat(path).as("system property %s (set by failsafe)", property).isNotNull();
        Path jar = Path.of(path).toAbsolutePath().normalize();
        assertThat(jar).as("%s; run mvn verify so that it is built", property).isRegularFile();
        return jar.toUri().toString();
    }

    private static CommandInfo.URI uri(String value) {
        return CommandInfo.URI.newBuilder().setValue(value).setExtract(false).build();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(List.of(discovery, etcd, scheduler, cluster));
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }
}
