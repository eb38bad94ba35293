package io.remit.scheduler.mesos;

import com.google.protobuf.ByteString;
import io.remit.executor.api.ExecutorEnv;
import io.remit.executor.api.LaunchSpec;
import io.remit.scheduler.engine.Cluster.PlannedLaunch;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.Templates;
import io.remit.scheduler.state.EtcdAccess;
import io.remit.scheduler.state.TaskRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;

/**
 * Builds the Mesos TaskInfo for an instance: the Remit executor (fetched by the agent with the
 * service's artifacts) with its own resources, among them the port placement chose for its
 * metrics, the instance's resources with the ports placement chose, and the launch spec the
 * executor reads from {@code TaskInfo.data} (schema: {@code executors/README.md}).
 */
public final class TaskInfoFactory {

    /**
     * Where agents fetch artifacts from, and what the executor needs to know of etcd.
     *
     * @param artifactsDir the folder the scheduler serves at {@code artifactsBase}, when it does
     *     (null otherwise); used to version the executor jar's URI so that agents may cache it
     * @param etcdCa the CA certificates (PEM) that signed etcd's, passed on to executors; null for none
     * @param etcdAccess each service's own etcd users (io.remit.scheduler.state.EtcdAccess), given
     *     to its executors instead of {@code etcdUser}; null to give them {@code etcdUser}
     * @param executorLogFormat {@code text} or {@code json}, the executors' {@code REMIT_LOG_FORMAT}
     * @param etcdClientCert the client certificate (PEM) executors and their services show etcd when
     *     it asks for one, with {@code etcdClientKey} (PKCS#8 PEM); both null for none
     */
    public record Settings(URI artifactsBase, String executorJar, List<String> etcdEndpoints, String etcdUser,
                           String etcdPassword, double executorCpus, int executorMemMb, Duration drainGrace,
                           java.nio.file.Path artifactsDir, boolean earlyStart, String etcdCa,
                           java.util.function.Function<String, EtcdAccess.Credentials> etcdAccess, String executorLogFormat,
                           String etcdClientCert, String etcdClientKey) {

        /** Without a client certificate for the executors. */
        public Settings(URI artifactsBase, String executorJar, List<String> etcdEndpoints, String etcdUser,
                        String etcdPassword, double executorCpus, int executorMemMb, Duration drainGrace,
                        java.nio.file.Path artifactsDir, boolean earlyStart, String etcdCa,
                        java.util.function.Function<String, EtcdAccess.Credentials> etcdAccess, String executorLogFormat) {
            this(artifactsBase, executorJar, etcdEndpoints, etcdUser, etcdPassword, executorCpus, executorMemMb, drainGrace,
                    artifactsDir, earlyStart, etcdCa, etcdAccess, executorLogFormat, null, null);
        }

        /** This with the executors' etcd client certificate and key (PEM). */
        public Settings withEtcdClientCert(String cert, String key) {
            return new Settings(artifactsBase, executorJar, etcdEndpoints, etcdUser, etcdPassword, executorCpus,
                    executorMemMb, drainGrace, artifactsDir, earlyStart, etcdCa, etcdAccess, executorLogFormat, cert, key);
        }

        /** Executors logging plain text. */
        public Settings(URI artifactsBase, String executorJar, List<String> etcdEndpoints, String etcdUser,
                        String etcdPassword, double executorCpus, int executorMemMb, Duration drainGrace,
                        java.nio.file.Path artifactsDir, boolean earlyStart, String etcdCa,
                        java.util.function.Function<String, EtcdAccess.Credentials> etcdAccess) {
            this(artifactsBase, executorJar, etcdEndpoints, etcdUser, etcdPassword, executorCpus, executorMemMb, drainGrace,
                    artifactsDir, earlyStart, etcdCa, etcdAccess, "text");
        }

        /** Without a CA to pass on, every executor with {@code etcdUser}. */
        public Settings(URI artifactsBase, String executorJar, List<String> etcdEndpoints, String etcdUser,
                        String etcdPassword, double executorCpus, int executorMemMb, Duration drainGrace,
                        java.nio.file.Path artifactsDir, boolean earlyStart) {
            this(artifactsBase, executorJar, etcdEndpoints, etcdUser, etcdPassword, executorCpus, executorMemMb, drainGrace,
                    artifactsDir, earlyStart, null, null, "text");
        }
    }

    /** The executor JVM's options, as the build's training run of its archive used them. */
    static final String EXECUTOR_JVM_OPTIONS = "-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            // Compile only what stays hot: at start-up the JIT took a third of the executor's CPU,
            // taken from the service starting next to it.
            + " -XX:CompileThresholdScaling=10"
            + " -Dcom.google.protobuf.use_unsafe_pre22_gencode=true";
    /** Linux refuses an environment string over 128 KiB; an early launch spec stays well below. */
    static final int EARLY_LAUNCH_SPEC_MAX_BYTES = 64 * 1024;
    /** The modification time executors/pom.xml gives the executor jar before making its archive. */
    static final String ARCHIVE_JAR_TIME = "2000-01-01T00:00:00Z";

    private final Settings settings;
    private final ContentVersions versions = new ContentVersions();

    public TaskInfoFactory(Settings settings) {
        this.settings = settings;
    }

    public Protos.TaskInfo build(PlannedLaunch launch, Protos.Offer offer) {
        TaskRecord r = launch.record();
        ServiceSpec spec = launch.spec();
        Protos.AgentID agentId = offer != null ? offer.getAgentId() : Protos.AgentID.newBuilder().setValue(r.agentId()).build();
        LaunchSpec launchSpec = launchSpec(r, spec);
        Protos.CommandInfo.URI archive = archiveUri().orElse(null);
        Protos.CommandInfo.Builder command = Protos.CommandInfo.newBuilder()
                .setShell(true)
                .setValue(executorCommand(archive != null))
                .addUris(servedUri(settings.executorJar(), settings.executorJar()).orElseGet(() -> unversionedUri(settings.executorJar())));
        if (archive != null) {
            command.addUris(archive);
        }
        command.setEnvironment(executorEnvironment(r, spec, launchSpec));
        for (String artifact : spec.artifacts()) {
            command.addUris(Protos.CommandInfo.URI.newBuilder()
                    .setValue(Templates.resolveArtifact(artifact, settings.artifactsBase()).toString())
                    .setExtract(spec.runsCommand())); // as Marathon's fetch: archives unpacked for a command
        }
        Protos.ExecutorInfo.Builder executor = Protos.ExecutorInfo.newBuilder()
                .setType(Protos.ExecutorInfo.Type.CUSTOM)
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorIdOf(r.taskId())))
                .setName("Remit executor for " + r.taskId())
                .setCommand(command)
                .addResources(scalar("cpus", settings.executorCpus()))
                .addResources(scalar("mem", settings.executorMemMb()));
        if (r.executorPort() != null) {
            // The executor's metrics port: a resource of the executor's like its CPUs and memory, so
            // the agent counts it against the offer and gives it to no other task.
            executor.addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES)
                    .setRanges(Protos.Value.Ranges.newBuilder().addRange(Protos.Value.Range.newBuilder()
                            .setBegin(r.executorPort()).setEnd(r.executorPort()))));
        }
        Protos.TaskInfo.Builder task = Protos.TaskInfo.newBuilder()
                .setName(spec.id())
                .setTaskId(Protos.TaskID.newBuilder().setValue(r.taskId()))
                .setAgentId(agentId)
                .addResources(scalar("cpus", spec.resources().cpus()))
                .addResources(scalar("mem", spec.resources().memMb()))
                .setExecutor(executor)
                .setData(ByteString.copyFrom(launchSpec.toJson()))
                .setLabels(Protos.Labels.newBuilder()
                        .addLabels(label("remit.service", spec.id()))
                        .addLabels(label("remit.version", spec.version())));
        if (spec.resources().diskMb() > 0) {
            task.addResources(scalar("disk", spec.resources().diskMb()));
        }
        if (!r.ports().isEmpty()) {
            Protos.Value.Ranges.Builder ranges = Protos.Value.Ranges.newBuilder();
            Protos.Ports.Builder discoveryPorts = Protos.Ports.newBuilder();
            r.ports().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
                ranges.addRange(Protos.Value.Range.newBuilder().setBegin(e.getValue()).setEnd(e.getValue()));
                discoveryPorts.addPorts(Protos.Port.newBuilder().setNumber(e.getValue()).setName(e.getKey()).setProtocol("tcp"));
            });
            task.addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES)
                    .setRanges(ranges));
            task.setDiscovery(Protos.DiscoveryInfo.newBuilder()
                    .setVisibility(Protos.DiscoveryInfo.Visibility.FRAMEWORK)
                    .setName(spec.id()).setVersion(spec.version()).setPorts(discoveryPorts));
        }
        spec.labels().forEach((k, v) -> task.getLabelsBuilder().addLabels(label(k, v)));
        return task.build();
    }

    /**
     * The executor's environment ({@link ExecutorEnv}): its metrics port, when the LAUNCH was sent,
     * who it runs (for its log lines) and how it logs; and the early launch spec, when there is one.
     */
    Protos.Environment executorEnvironment(TaskRecord r, ServiceSpec spec, LaunchSpec launchSpec) {
        Protos.Environment.Builder env = Protos.Environment.newBuilder();
        if (r.executorPort() != null) {
            env.addVariables(variable(ExecutorEnv.METRICS_PORT, Integer.toString(r.executorPort())));
        }
        if (r.launchedAt() != null) {
            env.addVariables(variable(ExecutorEnv.LAUNCHED_AT, r.launchedAt().toString()));
        }
        env.addVariables(variable(ExecutorEnv.SERVICE_ID, spec.id()));
        if (spec.version() != null) {
            env.addVariables(variable(ExecutorEnv.SERVICE_VERSION, spec.version()));
        }
        env.addVariables(variable(ExecutorEnv.INSTANCE_ID, r.taskId()));
        if ("json".equalsIgnoreCase(settings.executorLogFormat())) {
            env.addVariables(variable(ExecutorEnv.LOG_FORMAT, "json"));
        }
        earlyLaunchSpec(spec, launchSpec).ifPresent(json -> env.addVariables(variable(LaunchSpec.EARLY_START_ENV, json)));
        return env.build();
    }

    private static Protos.Environment.Variable variable(String name, String value) {
        return Protos.Environment.Variable.newBuilder().setName(name).setValue(value).build();
    }

    /**
     * The executor's command line. With its class data sharing archive (built beside the jar by
     * executors/pom.xml), the JVM maps the executor's classes ready-made instead of loading them
     * from the jar, which roughly halves its CPU until the service starts. The JVM takes an archive
     * only for the very jar it was made from, checked by size and modification time, so the
     * fetched copy's time is set to the one the build gave the jar. Should anything not match (the
     * agent's JDK is another build, {@code touch} failed), the JVM says so on stdout and runs
     * without the archive.
     */
    String executorCommand(boolean withArchive) {
        String jar = settings.executorJar();
        if (!withArchive) {
            return "exec java " + EXECUTOR_JVM_OPTIONS + " -jar " + jar;
        }
        return "touch -d " + ARCHIVE_JAR_TIME + " " + jar + "; exec java " + EXECUTOR_JVM_OPTIONS
                + " -XX:SharedArchiveFile=" + archiveName()
                // This JDK build would otherwise move the archive to a random address at each start
                // and fix up every pointer in it: about 100 ms of CPU.
                + " -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -jar " + jar;
    }

    /**
     * The launch spec for the executor's environment, from which it starts the service before
     * LAUNCH (executors/README.md, Start-up): only when early starts are on, without etcd's
     * credentials, never for a service with a secret env value (Mesos shows an executor's
     * environment in its state) nor for one with an etcd user or client certificate of its own (a
     * service started before LAUNCH would run without them: the key stays out of the environment),
     * and not when it is too large for an environment variable.
     */
    java.util.Optional<String> earlyLaunchSpec(ServiceSpec spec, LaunchSpec launchSpec) {
        if (!settings.earlyStart() || spec.env().values().stream().anyMatch(EnvValue::secret)
                || (launchSpec.etcd() != null
                    && (launchSpec.etcd().hasServiceCredentials() || launchSpec.etcd().hasClientCert()))) {
            return java.util.Optional.empty();
        }
        byte[] json = launchSpec.withoutEtcdCredentials().toJson();
        return json.length > EARLY_LAUNCH_SPEC_MAX_BYTES ? java.util.Optional.empty()
                : java.util.Optional.of(new String(json, StandardCharsets.UTF_8));
    }

    /** What the archive is called in the sandbox: {@code remit-executor.jsa} for {@code remit-executor.jar}. */
    String archiveName() {
        return baseName() + ".jsa";
    }

    /**
     * The archive made from the jar with SHA-256 {@code jarSha256}, as the build names it:
     * {@code remit-executor-<sha256>.jsa}. The JVM checks an archive against its jar only by size
     * and modification time, and the build pins the time; the name keeps an archive from being
     * shipped with any other jar.
     */
    String archiveFile(String jarSha256) {
        return baseName() + "-" + jarSha256 + ".jsa";
    }

    private String baseName() {
        String jar = settings.executorJar();
        return jar.endsWith(".jar") ? jar.substring(0, jar.length() - 4) : jar;
    }

    /** The archive of the executor jar being served, if the scheduler serves it too. */
    private java.util.Optional<Protos.CommandInfo.URI> archiveUri() {
        if (settings.artifactsDir() == null) {
            return java.util.Optional.empty();
        }
        return versions.sha256(settings.artifactsDir().resolve(settings.executorJar()))
                .flatMap(jarSha256 -> servedUri(archiveFile(jarSha256), archiveName()));
    }

    /**
     * A file this scheduler serves, if it is there: the same for every instance, so agents keep
     * it in their fetcher cache instead of fetching it at each launch. The cache is keyed by URI,
     * so the URI carries a digest of the content: a new file is a new URI.
     */
    private java.util.Optional<Protos.CommandInfo.URI> servedUri(String name, String outputFile) {
        java.nio.file.Path file = settings.artifactsDir() == null ? null : settings.artifactsDir().resolve(name);
        return (file == null ? java.util.Optional.<String>empty() : versions.of(file)).map(version ->
                Protos.CommandInfo.URI.newBuilder().setValue(settings.artifactsBase() + "/" + name + "?v=" + version)
                        .setExtract(false).setOutputFile(outputFile).setCache(true).build());
    }

    /** Fetched at every launch: never stale, wherever the scheduler's artifacts are served from. */
    private Protos.CommandInfo.URI unversionedUri(String name) {
        return Protos.CommandInfo.URI.newBuilder().setValue(settings.artifactsBase() + "/" + name)
                .setExtract(false).setOutputFile(name).setCache(false).build();
    }

    /** The executor's input (see executors/README.md), carried as JSON in {@code TaskInfo.data}. */
    LaunchSpec launchSpec(TaskRecord r, ServiceSpec spec) {
        String first = spec.artifacts().isEmpty() ? "" : spec.artifacts().get(0);
        Map<String, String> env;
        if (spec.runsCommand()) {
            env = MarathonEnvironment.of(spec, r); // Marathon's variables, the spec's env on top
        } else {
            env = new java.util.TreeMap<>();
            for (Map.Entry<String, EnvValue> e : spec.env().entrySet()) {
                env.put(e.getKey(), e.getValue().value());
            }
        }
        io.remit.scheduler.spec.HealthCheck h = spec.healthCheck();
        return new LaunchSpec(spec.id(), spec.version(), r.taskId(),
                spec.runsCommand() ? null : first.substring(first.lastIndexOf('/') + 1),
                spec.config(), r.ports(), spec.resources().memMb(), spec.jvmOptions(), env,
                new LaunchSpec.HealthCheck(h.path(), h.interval(), h.timeout(), h.gracePeriod(), h.consecutiveFailures(),
                        h.port()),
                etcd(spec.id()), settings.drainGrace(), null, spec.command(), spec.args());
    }

    /**
     * What the executor of service {@code id} knows of etcd: with per-service users, its own
     * (which may write only its discovery records) and its service's; else the scheduler's.
     */
    private LaunchSpec.Etcd etcd(String id) {
        if (settings.etcdAccess() == null) {
            return new LaunchSpec.Etcd(settings.etcdEndpoints(), settings.etcdUser(), settings.etcdPassword(),
                    settings.etcdCa(), null, null, settings.etcdClientCert(), settings.etcdClientKey());
        }
        EtcdAccess.Credentials c = settings.etcdAccess().apply(id);
        return new LaunchSpec.Etcd(settings.etcdEndpoints(), c.executorUser(), c.executorPassword(), settings.etcdCa(),
                c.serviceUser(), c.servicePassword(), settings.etcdClientCert(), settings.etcdClientKey());
    }

    private static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static Protos.Label label(String key, String value) {
        return Protos.Label.newBuilder().setKey(key).setValue(value == null ? "" : value).build();
    }

    /** The executor id of a task's executor: one executor per instance, named after its task. */
    public static String executorIdOf(String taskId) {
        return "remit-executor." + taskId;
    }
}
