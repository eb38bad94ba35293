package io.remit.scheduler.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a service is and how many instances of it should run: the desired state of one service.
 * Immutable. Construction does not validate (so that a spec built in code can be checked and
 * every problem reported); call {@link SpecValidator#validate(ServiceSpec)} or read specs through
 * {@link SpecParser}, which refuses invalid ones.
 *
 * <p>Fields, as written in YAML or JSON (unknown fields are errors):
 *
 * <ul>
 *   <li>{@code id} (required): a DNS label, 1-63 lowercase letters, digits and '-'.
 *   <li>{@code version} (required): a string such as {@code "1.4.2"}; quote it in YAML.
 *   <li>{@code artifacts} (required, at least one): URIs the executor fetches into the sandbox,
 *       scheme http, https or file. An entry may instead start with the placeholder
 *       {@code {{artifacts}}} followed by a relative path ({@code {{artifacts}}/hello.jar}); the
 *       scheduler replaces it at launch with its configured artifact base URL (e.g.
 *       {@code file:///srv/remit/artifacts} locally, {@code https://artifacts.example/remit} on a
 *       cluster), see {@link Templates#resolveArtifact(String, java.net.URI)}.
 *   <li>{@code config}: the service's Dropwizard config as a template. The executor renders it
 *       with {@code {{port.<name>}}} (one per port in {@code resources.ports}),
 *       {@code {{etcd.endpoints}}}, {@code {{instance.id}}} and {@code {{service.version}}};
 *       any other placeholder is an error. See {@link Templates}.
 *   <li>{@code instances}: 0 to 1000, default 1.
 *   <li>{@code resources} (required): see {@link Resources}; the ports must include
 *       {@code admin}, where the health check runs.
 *   <li>{@code jvmOptions}: options for the service JVM, each starting with '-'.
 *   <li>{@code env}: environment variables, see {@link EnvValue} for secrets.
 *   <li>{@code healthCheck}: see {@link HealthCheck}; every field has a default.
 *   <li>{@code constraints}: see {@link Constraint} for the syntax.
 *   <li>{@code dependencies}: ids of services that must have a healthy instance before this one
 *       is launched; unknown ids and cycles are errors ({@link SpecValidator#validateAll}).
 *   <li>{@code labels}: free-form string pairs, e.g. {@code team}, {@code tier}.
 *   <li>{@code command} or {@code args} (at most one; "command mode"): what the executor runs
 *       instead of {@code java -jar <first artifact>}: {@code command} through {@code /bin/sh -c},
 *       {@code args} as an argument vector without a shell. The artifacts are then optional (all
 *       are fetched into the sandbox, archives extracted) and {@code jvmOptions} is not allowed.
 *       The process gets Marathon's environment ({@code PORT0}, {@code PORT_<NAME>}, {@code PORTS},
 *       {@code HOST}, {@code MARATHON_APP_ID}, ...); the config template, if any, is still
 *       rendered to {@code config.yml} in the sandbox. Health checks, discovery, draining and
 *       kills are as for a jar.
 *   <li>{@code signals}: the error ratio and p99 latency above which the dashboard marks the
 *       service, see {@link SignalThresholds}; not part of the {@link #revision()}.
 *   <li>{@code deployment}: how a change that needs new instances goes out (rolling or canary),
 *       see {@link DeploymentSpec}; not part of the {@link #revision()}.
 * </ul>
 */
public record ServiceSpec(
        String id,
        String version,
        List<String> artifacts,
        String config,
        int instances,
        Resources resources,
        List<String> jvmOptions,
        Map<String, EnvValue> env,
        HealthCheck healthCheck,
        List<Constraint> constraints,
        List<String> dependencies,
        Map<String, String> labels,
        String command,
        List<String> args,
        SignalThresholds signals,
        DeploymentSpec deployment) {

    public static final int MAX_INSTANCES = 1000;

    /** A service that runs its jar (no {@code command}, no {@code args}). */
    public ServiceSpec(String id, String version, List<String> artifacts, String config, int instances,
                       Resources resources, List<String> jvmOptions, Map<String, EnvValue> env, HealthCheck healthCheck,
                       List<Constraint> constraints, List<String> dependencies, Map<String, String> labels) {
        this(id, version, artifacts, config, instances, resources, jvmOptions, env, healthCheck, constraints,
                dependencies, labels, null, null, null);
    }

    /** A spec without {@code signals} thresholds (the scheduler's defaults hold). */
    public ServiceSpec(String id, String version, List<String> artifacts, String config, int instances,
                       Resources resources, List<String> jvmOptions, Map<String, EnvValue> env, HealthCheck healthCheck,
                       List<Constraint> constraints, List<String> dependencies, Map<String, String> labels,
                       String command, List<String> args) {
        this(id, version, artifacts, config, instances, resources, jvmOptions, env, healthCheck, constraints,
                dependencies, labels, command, args, null, null);
    }

    /** A spec with these thresholds and the default deployment. */
    public ServiceSpec(String id, String version, List<String> artifacts, String config, int instances,
                       Resources resources, List<String> jvmOptions, Map<String, EnvValue> env, HealthCheck healthCheck,
                       List<Constraint> constraints, List<String> dependencies, Map<String, String> labels,
                       String command, List<String> args, SignalThresholds signals) {
        this(id, version, artifacts, config, instances, resources, jvmOptions, env, healthCheck, constraints,
                dependencies, labels, command, args, signals, null);
    }

    public ServiceSpec {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        config = config == null ? "" : config;
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        env = sorted(env);
        healthCheck = healthCheck == null ? HealthCheck.DEFAULT : healthCheck;
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        labels = sorted(labels);
        args = args == null ? null : List.copyOf(args);
        signals = signals == null ? SignalThresholds.NONE : signals;
        deployment = deployment == null ? DeploymentSpec.DEFAULT : deployment;
    }

    /** Whether the executor runs {@link #command()} or {@link #args()} rather than the service jar. */
    public boolean runsCommand() {
        return command != null || args != null;
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }

    public ServiceSpec withInstances(int n) {
        return new ServiceSpec(id, version, artifacts, config, n, resources, jvmOptions, env, healthCheck,
                constraints, dependencies, labels, command, args, signals, deployment);
    }

    public ServiceSpec withVersion(String v) {
        return new ServiceSpec(id, v, artifacts, config, instances, resources, jvmOptions, env, healthCheck,
                constraints, dependencies, labels, command, args, signals, deployment);
    }

    public ServiceSpec withConfig(String c) {
        return new ServiceSpec(id, version, artifacts, c, instances, resources, jvmOptions, env, healthCheck,
                constraints, dependencies, labels, command, args, signals, deployment);
    }

    public ServiceSpec withResources(Resources r) {
        return new ServiceSpec(id, version, artifacts, config, instances, r, jvmOptions, env, healthCheck,
                constraints, dependencies, labels, command, args, signals, deployment);
    }

    public ServiceSpec withConstraints(List<Constraint> c) {
        return new ServiceSpec(id, version, artifacts, config, instances, resources, jvmOptions, env, healthCheck,
                c, dependencies, labels, command, args, signals, deployment);
    }

    public ServiceSpec withDependencies(List<String> d) {
        return new ServiceSpec(id, version, artifacts, config, instances, resources, jvmOptions, env, healthCheck,
                constraints, d, labels, command, args, signals, deployment);
    }

    public ServiceSpec withSignals(SignalThresholds t) {
        return new ServiceSpec(id, version, artifacts, config, instances, resources, jvmOptions, env, healthCheck,
                constraints, dependencies, labels, command, args, t, deployment);
    }

    public ServiceSpec withDeployment(DeploymentSpec d) {
        return new ServiceSpec(id, version, artifacts, config, instances, resources, jvmOptions, env, healthCheck,
                constraints, dependencies, labels, command, args, signals, d);
    }

    /**
     * A fingerprint of everything that an instance is started from (all fields but
     * {@code instances}, {@code signals} and {@code deployment}); running instances whose revision differs are replaced by a rolling
     * update. See {@link SpecRevision}.
     */
    public String revision() {
        return SpecRevision.of(this);
    }
}
