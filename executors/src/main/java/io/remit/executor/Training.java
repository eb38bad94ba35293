package io.remit.executor;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.remit.executor.api.ExecutorEnv;
import io.remit.mesos.MediaType;
import io.remit.mesos.executor.ExecutorEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * One whole task through the real executor, everything on loopback in this JVM: the training run
 * from which the build makes {@code remit-executor.jsa}, the executor's class data sharing archive
 * ({@code java -XX:ArchiveClassesAtExit=remit-executor.jsa -cp remit-executor.jar
 * io.remit.executor.Training}; see executors/README.md, Start-up). The classes this run loads are
 * the ones a real executor loads on its way to a healthy, registered instance and back, so a JVM
 * started with the archive maps them ready-made instead of reading and verifying them from the jar.
 *
 * <p>A stand-in agent answers SUBSCRIBE with SUBSCRIBED and a LAUNCH of {@code sleep 60}, and
 * acknowledges every update; a stand-in etcd gateway answers lease and key calls; a health endpoint
 * opens on the task's admin port once the task is starting. When the task is healthy the agent
 * sends KILL, and the executor exits after its TASK_KILLED is acknowledged. Exits non-zero if the
 * task did not get there within a minute.
 */
public final class Training {

    private static final long TIMEOUT_SECONDS = 60;

    private final HttpServer server;
    private final int adminPort;
    private final int metricsPort;
    private final CountDownLatch killed = new CountDownLatch(1);
    private volatile OutputStream events;
    private HttpServer health;

    private Training(HttpServer server, int adminPort, int metricsPort) {
        this.server = server;
        this.adminPort = adminPort;
        this.metricsPort = metricsPort;
    }

    public static void main(String[] args) throws Exception {
        Path sandbox = Files.createTempDirectory("remit-executor-training");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "training-agent");
            t.setDaemon(true);
            return t;
        }));
        Training training = new Training(server, freePort(), freePort());
        try {
            server.createContext("/api/v1/executor", training::executorApi);
            server.createContext("/v3/", Training::etcdGateway);
            server.start();
            String agent = "127.0.0.1:" + server.getAddress().getPort();
            Map<String, String> env = Map.of("MESOS_FRAMEWORK_ID", "training", "MESOS_EXECUTOR_ID", "training",
                    "MESOS_AGENT_ENDPOINT", agent, "MESOS_DIRECTORY", sandbox.toString(), "MESOS_CHECKPOINT", "0",
                    "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                    ExecutorEnv.METRICS_PORT, Integer.toString(training.metricsPort),
                    ExecutorEnv.LAUNCHED_AT, java.time.Instant.now().toString());
            ServiceExecutor executor = new ServiceExecutor(ExecutorEnvironment.fromEnv(env), env, Clock.systemUTC());
            Thread run = new Thread(() -> {
                try {
                    executor.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "training-executor");
            run.setDaemon(true);
            run.start();
            run.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            if (run.isAlive() || training.killed.getCount() > 0) {
                System.err.println("training: the task did not run and end within " + TIMEOUT_SECONDS + " s");
                System.exit(1);
            }
        } finally {
            server.stop(0);
            if (training.health != null) {
                training.health.stop(0);
            }
            try (Stream<Path> files = Files.walk(sandbox)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void executorApi(HttpExchange exchange) throws IOException {
        Call call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
        if (call.getType() == Call.Type.SUBSCRIBE) {
            exchange.getResponseHeaders().set("Content-Type", MediaType.PROTOBUF.mime());
            exchange.sendResponseHeaders(200, 0);
            events = exchange.getResponseBody();
            send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                    .setExecutorInfo(executorInfo())
                    .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("training").setName("training")
                            .setId(FrameworkID.newBuilder().setValue("training"))
                            .addCapabilities(FrameworkInfo.Capability.newBuilder()
                                    .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)))
                    .setAgentInfo(AgentInfo.newBuilder().setHostname("127.0.0.1").setId(AgentID.newBuilder().setValue("training"))))
                    .build());
            send(Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(TaskInfo.newBuilder()
                    .setName("training").setTaskId(TaskID.newBuilder().setValue("training.1"))
                    .setAgentId(AgentID.newBuilder().setValue("training")).setExecutor(executorInfo())
                    .setData(ByteString.copyFromUtf8(launchSpec())))).build());
            return; // the stream stays open
        }
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
        TaskStatus status = call.getUpdate().getStatus();
        send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
                .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build());
        if (status.getState() == TaskState.TASK_STARTING) {
            startHealthEndpoint();
        } else if (status.getState() == TaskState.TASK_RUNNING && status.getHealthy()) {
            scrape();
            send(Event.newBuilder().setType(Event.Type.KILL).setKill(Event.Kill.newBuilder()
                    .setTaskId(status.getTaskId())).build());
        } else if (status.getState() == TaskState.TASK_KILLED) {
            killed.countDown();
        }
    }

    /** Reads the executor's metrics once, as Prometheus would. */
    private void scrape() {
        try {
            java.net.URL url = java.net.URI.create("http://127.0.0.1:" + metricsPort + ExecutorEnv.METRICS_PATH).toURL();
            try (java.io.InputStream in = url.openStream()) {
                in.readAllBytes();
            }
        } catch (IOException e) {
            System.err.println("training: could not read the executor's metrics: " + e);
        }
    }

    private synchronized void send(Event event) throws IOException {
        byte[] record = event.toByteArray();
        events.write((record.length + "\n").getBytes(StandardCharsets.US_ASCII));
        events.write(record);
        events.flush();
    }

    private synchronized void startHealthEndpoint() throws IOException {
        health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), adminPort), 0);
        health.createContext("/healthcheck", exchange -> answer(exchange, "{}"));
        health.start();
    }

    /** Just enough of etcd's JSON gateway: a lease, a put, keep-alives, the guarded delete, revoke. */
    private static void etcdGateway(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String header = "\"header\":{\"revision\":\"7\"}";
        String body = switch (exchange.getRequestURI().getPath()) {
            case "/v3/lease/grant" -> "{" + header + ",\"ID\":\"42\",\"TTL\":\"10\"}";
            case "/v3/lease/keepalive" -> "{\"result\":{" + header + ",\"ID\":\"42\",\"TTL\":\"10\"}}";
            case "/v3/kv/txn" -> "{" + header + ",\"succeeded\":true}";
            default -> "{" + header + "}";
        };
        answer(exchange, body);
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ExecutorInfo executorInfo() {
        return ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.CUSTOM)
                .setExecutorId(ExecutorID.newBuilder().setValue("training"))
                .setCommand(CommandInfo.newBuilder().setValue("java -jar remit-executor.jar")).build();
    }

    /** A launch spec as the scheduler writes one, run in command mode; every field set. */
    private String launchSpec() {
        String etcd = "http://127.0.0.1:" + server.getAddress().getPort();
        return """
                {"serviceId":"training","version":"1","instanceId":"training.1",\
                "configTemplate":"server:\\n  adminConnectors:\\n    - port: {{port.admin}}\\netcd: {{etcd.endpoints}}\\n",\
                "ports":{"admin":%d},"memMb":64,"jvmOptions":[],"env":{"TRAINING":"1"},\
                "healthCheck":{"path":"/healthcheck","interval":"PT0.05S","timeout":"PT1S","gracePeriod":"PT30S",\
                "consecutiveFailures":3,"port":"admin"},\
                "etcd":{"endpoints":["%s"]},"drainGrace":"PT0S","registrationTtl":"PT10S",\
                "args":["sleep","60"]}""".formatted(adminPort, etcd);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
