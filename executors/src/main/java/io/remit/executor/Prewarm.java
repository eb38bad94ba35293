package io.remit.executor;

import com.google.protobuf.ByteString;
import io.remit.executor.api.ConfigTemplate;
import io.remit.executor.api.LaunchSpec;
import io.remit.mesos.MediaType;
import io.remit.registry.etcd.EtcdSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DiscoveryInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Port;
import org.apache.mesos.v1.Protos.Ports;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * Gets the executor's cold start off its critical path. A fresh JVM spends most of the time
 * between its start and the service's spawn loading and initialising classes, one after the
 * other on one thread: the logger, the HTTP client, the Mesos protobuf classes and their
 * descriptors, Jackson for the launch spec. Much of it waits for nothing the agent says, so
 * {@link #start()}, the first thing the executor does, makes the JVM's default TLS context lazy
 * ({@link LazyTls}: the HTTP client would otherwise build it, for plain HTTP) and starts a daemon
 * thread that initialises the HTTP client, the Mesos messages and the launch spec path on sample
 * data, while the main thread starts the logger and reads the environment; by the time it builds
 * its client and subscribes, and when the real SUBSCRIBED and LAUNCH arrive, their classes are
 * ready.
 *
 * <p>The thread only loads and initialises: no connection, file, process or log output; a failure
 * is ignored (the real path then does the work itself, as it would have anyway).
 */
final class Prewarm {

    private Prewarm() {
    }

    /** Installs {@link LazyTls} and starts the warming thread; returns at once, and never fails. */
    static void start() {
        lazyTls();
        Thread t = new Thread(() -> {
            try {
                launchPath();
            } catch (Throwable ignored) {
                // the real path does it again, and reports what fails there
            }
        }, "prewarm");
        t.setDaemon(true);
        t.start();
    }

    /** Installs {@link LazyTls} only; never fails. */
    static void lazyTls() {
        try {
            LazyTls.installDefault();
        } catch (RuntimeException | LinkageError e) {
            // the JVM's own default context then, made when the HTTP client asks for it
        }
    }

    /**
     * In the order the main thread needs them: the JDK's HTTP client (a throwaway one: its first
     * build initialises most of {@code java.net.http}; it has no connection and its thread ends
     * once it is collected), the Mesos messages an executor sends and reads, then the launch spec
     * as the LAUNCH carries it.
     */
    static void launchPath() {
        try {
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).timeout(Duration.ofSeconds(1))
                    .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1]))
                    .build();
        } catch (RuntimeException ignored) {
            // what follows does not depend on it
        }
        try {
            mesosMessages();
        } catch (Exception ignored) {
            // the launch spec below does not depend on it
        }
        LaunchSpec spec = LaunchSpec.fromJson(SAMPLE_SPEC.getBytes(StandardCharsets.UTF_8));
        ConfigTemplate.render(spec.configTemplate(), ConfigTemplate.values(spec));
        ServiceCommand.argv(Path.of("java"), spec);
        new EtcdSettings(spec.etcd().endpoints(), null, null, null, null, null).problems();
    }

    private static void mesosMessages() throws Exception {
        FrameworkID framework = FrameworkID.newBuilder().setValue("f").build();
        ExecutorID executorId = ExecutorID.newBuilder().setValue("e").build();
        AgentID agentId = AgentID.newBuilder().setValue("a").build();
        ExecutorInfo executor = ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.CUSTOM).setExecutorId(executorId)
                .setFrameworkId(framework).setName("e")
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue("java")
                        .addUris(CommandInfo.URI.newBuilder().setValue("http://h/x.jar").setExtract(false).setCache(true)
                                .setOutputFile("x.jar")))
                .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 64))
                .build();
        Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setExecutorInfo(executor)
                .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("n").setId(framework)
                        .setCheckpoint(true).setFailoverTimeout(1)
                        .addCapabilities(FrameworkInfo.Capability.newBuilder()
                                .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)))
                .setAgentInfo(AgentInfo.newBuilder().setHostname("h").setPort(5051).setId(agentId)
                        .addResources(scalar("cpus", 1))
                        .addAttributes(org.apache.mesos.v1.Protos.Attribute.newBuilder().setName("zone")
                                .setType(Value.Type.TEXT).setText(Value.Text.newBuilder().setValue("z")))))
                .build();
        Event launch = Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder()
                .setTask(TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
                        .setAgentId(agentId).setExecutor(executor)
                        .addResources(scalar("cpus", 1)).addResources(Resource.newBuilder().setName("ports")
                                .setType(Value.Type.RANGES).setRanges(Value.Ranges.newBuilder()
                                        .addRange(Value.Range.newBuilder().setBegin(1).setEnd(2))))
                        .setData(ByteString.copyFromUtf8(SAMPLE_SPEC))
                        .setLabels(Labels.newBuilder().addLabels(Label.newBuilder().setKey("k").setValue("v")))
                        .setDiscovery(DiscoveryInfo.newBuilder().setVisibility(DiscoveryInfo.Visibility.FRAMEWORK)
                                .setName("t").setVersion("1").setPorts(Ports.newBuilder()
                                        .addPorts(Port.newBuilder().setNumber(1).setName("admin").setProtocol("tcp"))))))
                .build();
        for (Event sample : new Event[] {subscribed, launch}) {
            Event read = MediaType.PROTOBUF.decode(sample.toByteArray(), Event.newBuilder());
            read.getLaunch().getTask().getData().toByteArray();
        }
        Call update = Call.newBuilder().setType(Call.Type.UPDATE).setFrameworkId(framework).setExecutorId(executorId)
                .setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
                        .setTaskId(TaskID.newBuilder().setValue("t")).setState(TaskState.TASK_STARTING)
                        .setMessage("m").setHealthy(true).setUuid(ByteString.copyFrom(new byte[16])).setTimestamp(1)
                        .setExecutorId(executorId).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                        .setReason(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)))
                .build();
        MediaType.PROTOBUF.encode(update);
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    /** A launch spec as the scheduler writes one: every field, durations as ISO-8601 strings. */
    static final String SAMPLE_SPEC = """
            {"serviceId":"prewarm","version":"0","instanceId":"prewarm.0","artifact":"prewarm.jar",\
            "configTemplate":"server:\\n  applicationConnectors:\\n    - type: http\\n      port: {{port.http}}\\n\
              adminConnectors:\\n    - type: http\\n      port: {{ port.admin }}\\n\
            etcd: {{etcd.endpoints}}\\nid: {{instance.id}} {{service.version}}\\n",\
            "ports":{"http":1,"admin":2},"memMb":64,"jvmOptions":["-XX:+UseSerialGC"],"env":{"A":"b"},\
            "healthCheck":{"path":"/healthcheck","interval":"PT0.2S","timeout":"PT0.2S","gracePeriod":"PT60S",\
            "consecutiveFailures":3},\
            "etcd":{"endpoints":["http://127.0.0.1:2379"],"user":"u","password":"p"},\
            "drainGrace":"PT2S","registrationTtl":"PT10S","futureField":{"x":[1,2.5,true,null]}}""";
}
