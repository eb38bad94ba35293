package io.remit.scheduler;

import com.codahale.metrics.Gauge;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.remit.registry.election.ElectionSettings;
import io.remit.registry.election.EtcdLeaderElection;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.api.ArtifactsResource;
import io.remit.scheduler.api.ClusterResource;
import io.remit.scheduler.api.ErrorBodies;
import io.remit.scheduler.api.LastKnownState;
import io.remit.scheduler.api.LeaderRedirectFilter;
import io.remit.scheduler.api.ServicesResource;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.auth.AuditLog;
import io.remit.scheduler.auth.AuthFilter;
import io.remit.scheduler.auth.AuthResource;
import io.remit.scheduler.auth.CredentialsSource;
import io.remit.scheduler.auth.SignInLimiter;
import io.remit.scheduler.capacity.CapacityHistory;
import io.remit.scheduler.capacity.CapacityPlanner;
import io.remit.scheduler.capacity.CapacityResource;
import io.remit.scheduler.capacity.CapacitySampler;
import io.remit.scheduler.capacity.MasterState;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.events.EventJournal;
import io.remit.scheduler.events.EventsServlet;
import io.remit.scheduler.mesos.TaskInfoFactory;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.state.SpecStore;
import io.remit.scheduler.state.TaskRecord;
import io.remit.scheduler.state.TaskStore;
import io.remit.scheduler.ui.UiResource;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Remit scheduler: a Mesos framework as a Dropwizard app. Every instance serves the REST API;
 * the one elected leader in etcd also runs the engine and the Mesos subscription.
 *
 * <p>{@code java -jar scheduler.jar server configs/scheduler.yml}
 */
public final class SchedulerApplication extends Application<SchedulerConfiguration> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchedulerApplication.class);

    public static void main(String[] args) throws Exception {
        // mesos's protoc 3.5 classes would make protobuf 3.25 warn once per type (localcluster and
        // the executors are told the same), unless the command line says otherwise.
        System.setProperty("com.google.protobuf.use_unsafe_pre22_gencode",
                System.getProperty("com.google.protobuf.use_unsafe_pre22_gencode", "true"));
        new SchedulerApplication().run(args);
    }

    @Override
    public String getName() {
        return "remit-scheduler";
    }

    /** A variable the configuration may use for the scheduler's version; the jar's own when unset. */
    static final String VERSION_VARIABLE = "REMIT_SCHEDULER_VERSION";

    @Override
    public void initialize(Bootstrap<SchedulerConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), substitutor()));
    }

    /**
     * {@code ${VAR}} and {@code ${VAR:-default}} from the environment, and
     * {@value #VERSION_VARIABLE} (e.g. for the JSON log layout's {@code version} field) falling
     * back to the version of the scheduler's jar.
     */
    static EnvironmentVariableSubstitutor substitutor() {
        EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(false);
        substitutor.setVariableResolver(name -> {
            String value = System.getenv(name);
            return value == null && VERSION_VARIABLE.equals(name) ? version() : value;
        });
        return substitutor;
    }

    /** The version in the scheduler jar's manifest, or {@code dev} when run from classes. */
    public static String version() {
        String v = SchedulerApplication.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public void run(SchedulerConfiguration config, Environment env) throws Exception {
        env.getObjectMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Etcd etcd = Etcd.connect(config.etcd.settings());
        KeyValues kv = new KeyValues(etcd);
        EventJournal journal = new EventJournal(config.eventHistory, java.time.Clock.systemUTC());
        io.remit.scheduler.state.SpecCodec codec = specCodec(config);
        SpecStore specs = new io.remit.scheduler.state.EtcdSpecStore(etcd, codec, java.time.Clock.systemUTC(),
                revision -> journal.record(new io.remit.scheduler.events.SchedulerEvent.RevisionCreated(revision)));
        io.remit.scheduler.release.RecordStore<io.remit.scheduler.release.Deployment> deployments =
                io.remit.scheduler.release.RecordStore.deployments(etcd);
        io.remit.scheduler.release.RecordStore<io.remit.scheduler.release.Release> releases =
                io.remit.scheduler.release.RecordStore.releases(etcd);
        TaskStore tasks = new io.remit.scheduler.state.EtcdTaskStore(etcd);
        if (config.specsDir != null && !config.specsDir.isBlank()) {
            SpecSync.sync(Path.of(config.specsDir), specs);
        }
        String self = config.advertisedUrl != null ? config.advertisedUrl : "http://127.0.0.1:" + appPort(config);
        URI artifactsBase = URI.create(config.artifactsBaseUrl != null ? config.artifactsBaseUrl : self + "/artifacts");
        io.remit.scheduler.state.EtcdAccess access = etcdAccess(config, kv);
        String[] executorCert = config.etcd.executorCertPem();
        TaskInfoFactory.Settings launch = new TaskInfoFactory.Settings(artifactsBase, config.executorJar,
                config.etcd.endpoints, config.etcd.resolvedUser(), config.etcd.resolvedPassword(), config.mesos.executorCpus,
                config.mesos.executorMemMb, config.drainGrace,
                config.artifactsBaseUrl == null ? Path.of(config.artifactsDir) : null, config.mesos.executorEarlyStart,
                config.etcd.caPem(), access == null ? null : access::credentials, config.mesos.executorLogFormat,
                executorCert == null ? null : executorCert[0], executorCert == null ? null : executorCert[1]);
        SchedulerEngine.Settings engineSettings = new SchedulerEngine.Settings(config.declineRefuse,
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(10),
                config.mesos.executorCpus, config.mesos.executorMemMb, config.unhealthyTimeout);
        io.remit.scheduler.state.FrameworkIdStore frameworkIds = new io.remit.scheduler.state.FrameworkIdStore(etcd);
        java.util.concurrent.atomic.AtomicReference<Leadership> leading = new java.util.concurrent.atomic.AtomicReference<>();
        io.remit.scheduler.release.Deployments.Judge judge = Releases.judge(config, service -> {
            io.remit.scheduler.engine.SchedulerEngine e = leading.get() == null ? null : leading.get().engine();
            return e == null ? null : e.snapshot().specs().get(service);
        });
        Leadership leadership = new Leadership(frameworkIds, tasks, specs, config.mesos, launch, engineSettings,
                new io.remit.scheduler.engine.EngineMetrics(env.metrics()), journal, self,
                () -> new io.remit.scheduler.release.DeploymentRunner(deployments, releases, specs,
                        Releases.history(specs), codec, judge, java.time.Clock.systemUTC(), journal::record,
                        io.remit.scheduler.release.TrafficRecords.etcd(etcd)));
        leading.set(leadership);
        AccessChore accessSweep = access == null ? null
                : new AccessChore(new io.remit.scheduler.state.EtcdAccessSweep(access, tasks), leadership::engine,
                        config.etcd.access.sweepInterval);
        EtcdLeaderElection election = new EtcdLeaderElection(etcd,
                new ElectionSettings(Keys.SCHEDULER_LEADER, self, config.leaderTtl),
                new LeaderDuties(leadership, access, accessSweep));
        LastKnownState lastKnown = new LastKnownState(leadership::engine, () -> fromEtcd(specs, tasks),
                java.time.Clock.systemUTC(), java.time.Duration.ofMillis(500));
        StateView state = new ElectedState(lastKnown, election, leadership, self);
        env.lifecycle().manage(new ElectionRun(leadership, election, accessSweep, access, etcd));
        AuditLog audit = new AuditLog(config.auth.auditFile == null || config.auth.auditFile.isBlank() ? null
                : Path.of(config.auth.auditFile), java.time.Clock.systemUTC(), env.getObjectMapper());
        CredentialsSource credentials = new CredentialsSource(config.auth, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(1));
        if (config.auth.enabled && credentials.current().size() == 0) {
            throw new IllegalStateException("auth.enabled is true but no user is configured (auth.users, auth.credentialsFile)");
        }
        SignInLimiter signIns = new SignInLimiter(config.auth.maxFailedSignIns, config.auth.failedSignInWindow.toJavaDuration(),
                java.time.Clock.systemUTC());
        env.servlets().addFilter("auth", new AuthFilter(config.auth.enabled, credentials::current, signIns,
                        java.time.Clock.systemUTC(), audit))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, "/*");
        env.servlets().addFilter("body-limit", new io.remit.http.BodyLimitFilter(config.maxRequestBody.toBytes(), ErrorBodies::of))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, "/*");
        env.jersey().register(new ErrorBodies.TooLargeMapper());
        io.remit.http.JsonErrors.install(env, ErrorBodies::of);
        env.jersey().register(new AuthResource(audit));
        env.jersey().register(new io.remit.scheduler.api.OpenApiResource());
        env.jersey().register(new ErrorBodies.ApiExceptionMapper());
        env.jersey().register(new LastKnownState.Unavailable.Mapper());
        env.jersey().register(new ErrorBodies.EtcdUnavailableMapper());
        env.jersey().register(new LeaderRedirectFilter(state));
        env.jersey().register(new ServicesResource(specs, state, leadership::engine, env.getObjectMapper()));
        io.remit.scheduler.api.RevisionsResource revisions =
                new io.remit.scheduler.api.RevisionsResource(specs, state, leadership::engine);
        env.jersey().register(revisions);
        env.jersey().register(new ClusterResource(state, leadership::engine));
        env.jersey().register(new io.remit.scheduler.api.ExperimentsResource(kv, specs, journal::record));
        io.remit.scheduler.release.DeploymentsResource deploymentActions = new io.remit.scheduler.release.DeploymentsResource(
                deployments, specs, codec, state, java.time.Clock.systemUTC());
        env.jersey().register(deploymentActions);
        env.jersey().register(new io.remit.scheduler.release.ReleasesResource(releases, specs, codec,
                java.time.Clock.systemUTC()));
        env.jersey().register(new io.remit.scheduler.marathon.MarathonResource(specs, state, leadership::engine,
                java.time.Clock.systemUTC(), deployments, revisions, deploymentActions));
        env.jersey().register(new io.remit.scheduler.marathon.MarathonError.Mapper());
        env.jersey().register(new io.remit.scheduler.marathon.JerseyErrors());
        env.jersey().register(new io.remit.scheduler.marathon.JerseyErrors.Unexpected());
        env.jersey().register(new ArtifactsResource(Path.of(config.artifactsDir)));
        Observability.register(env, etcd, state, self, config);
        MasterState masterState = new MasterState(config.mesos.masters, env.getObjectMapper(), java.time.Clock.systemUTC(),
                java.time.Duration.ofMillis(250));
        CapacityHistory capacityHistory = new CapacityHistory(new io.remit.scheduler.state.CapacityDays(etcd), java.time.Clock.systemUTC(), config.capacity.retentionDays);
        env.jersey().register(new CapacityResource(state, masterState, capacityHistory,
                new CapacityPlanner.Overhead(config.mesos.executorCpus, config.mesos.executorMemMb), java.time.Clock.systemUTC()));
        CapacitySampler sampler = new CapacitySampler(state, masterState, capacityHistory, java.time.Clock.systemUTC(),
                config.capacity.sampleInterval);
        env.lifecycle().manage(Stopping.managed(sampler::close));
        // Open event streams end as the server begins to stop, or Jetty would wait for them.
        env.lifecycle().addEventListener(Stopping.whenServerStops(journal::close));
        env.servlets().addServlet("events", new EventsServlet(journal, env.getObjectMapper())).addMapping("/v1/events");
        registerLogs(env, config, state, frameworkIds);
        env.servlets().addFilter("ui-errors", new io.remit.http.JsonErrors.StatusAsError())
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, "/ui/*");
        env.servlets().addServlet("ui", new io.dropwizard.servlets.assets.AssetServlet(UiResource.ASSETS, "/ui",
                "index.html", java.nio.charset.StandardCharsets.UTF_8)).addMapping("/ui/*");
        env.jersey().register(new UiResource());
        env.healthChecks().register("etcd", new HealthChecks.EtcdReachable(kv));
        env.healthChecks().register("mesos", new HealthChecks.MesosSubscribed(state));
        Metrics.register(env, state);
    }

    /** Instance logs ({@code /v1/instances/{taskId}/logs}), read from the agents' {@code /files/read}. */
    private static void registerLogs(Environment env, SchedulerConfiguration config, StateView state,
                                     io.remit.scheduler.state.FrameworkIdStore frameworkIds) {
        io.remit.scheduler.logs.AgentFiles files = new io.remit.scheduler.logs.AgentFiles(config.mesos.masters,
                env.getObjectMapper(), java.time.Clock.systemUTC());
        io.remit.scheduler.logs.LogsResource logs = new io.remit.scheduler.logs.LogsResource(
                new io.remit.scheduler.logs.InstanceLogs(state, frameworkIds::get, files), env.getObjectMapper());
        env.jersey().register(logs);
        env.servlets().addFilter("logs-follow", logs.followFilter())
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), true, "/v1/instances/*");
        // Open follow streams end as the server begins to stop, or Jetty would wait for them.
        env.lifecycle().addEventListener(Stopping.whenServerStops(logs::close));
    }

    /** Specs and task records as stored, for a standby's reads. */
    static EngineSnapshot fromEtcd(SpecStore specs, TaskStore tasks) {
        Map<String, io.remit.scheduler.spec.ServiceSpec> s = new LinkedHashMap<>();
        specs.all().forEach((id, stored) -> s.put(id, stored.spec()));
        Map<String, TaskRecord> t = new LinkedHashMap<>();
        List<TaskRecord> ended = new java.util.ArrayList<>();
        for (TaskRecord r : tasks.all()) {
            if (r.state().isTerminal()) {
                ended.add(r); // the leader writes a task's final record just before deleting it
            } else {
                t.put(r.taskId(), r);
            }
        }
        return new EngineSnapshot(s, t, ended, Map.of(), Map.of(), Map.of(), false, false, 0);
    }

    static int appPort(SchedulerConfiguration config) {
        if (config.getServerFactory() instanceof DefaultServerFactory f
                && f.getApplicationConnectors().get(0) instanceof HttpConnectorFactory h) {
            return h.getPort();
        }
        return 8080;
    }

    /** Counts kept as gauges, for the admin port's /metrics and /prometheus. */
    static final class Metrics {
        private Metrics() {
        }

        static void register(Environment env, StateView state) {
            for (TaskState s : TaskState.values()) {
                env.metrics().register("remit.tasks." + s.name().toLowerCase(), (Gauge<Long>) () ->
                        state.snapshot().tasks().values().stream().filter(t -> t.state() == s).count());
            }
            env.metrics().register("remit.leader", (Gauge<Integer>) () -> state.isLeader() ? 1 : 0);
            env.metrics().register("remit.services", (Gauge<Integer>) () -> state.snapshot().specs().size());
        }
    }    /**
     * The per-service etcd users when {@code etcd.access.enabled}: they need the admin credential
     * and the secrets key, which seals their passwords; null when off.
     */
    private static io.remit.scheduler.state.EtcdAccess etcdAccess(SchedulerConfiguration config, KeyValues kv) {
        if (!config.etcd.access.enabled) {
            if (config.etcd.resolvedUser() != null) {
                LOG.warn("etcd.access is off: every executor registers as the scheduler's etcd user {}", config.etcd.resolvedUser());
            }
            return null;
        }
        if (config.secretsKeyFile == null || config.secretsKeyFile.isBlank()) {
            throw new IllegalStateException("etcd.access.enabled needs secretsKeyFile: it seals the services' etcd passwords");
        }
        LOG.info("etcd.access: each service gets its own etcd users, made as {}", config.etcd.access.adminUser);
        return io.remit.scheduler.state.EtcdAccess.withKeyFile(config.etcd.adminSettings(), kv, Path.of(config.secretsKeyFile));
    }

    /** Seals secret env values with the configured key file; without one, says so and stores them as given. */
    private static io.remit.scheduler.state.SpecCodec specCodec(SchedulerConfiguration config) {
        if (config.secretsKeyFile == null || config.secretsKeyFile.isBlank()) {
            LOG.warn("No secretsKeyFile configured: secret env values are stored in etcd unencrypted");
            return io.remit.scheduler.state.SpecCodec.plain();
        }
        return io.remit.scheduler.state.SpecCodec.sealingWithKeyFile(Path.of(config.secretsKeyFile));
    }


}
