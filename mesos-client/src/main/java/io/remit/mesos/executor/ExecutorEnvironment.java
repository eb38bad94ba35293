package io.remit.mesos.executor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;

/**
 * What the agent tells an executor through its environment when it starts it.
 *
 * @param agentEndpoint the agent's {@code host:port}, from {@code MESOS_AGENT_ENDPOINT}
 * @param sandbox the sandbox path as the executor sees it ({@code MESOS_SANDBOX}; falls back to
 *     {@code MESOS_DIRECTORY})
 * @param directory the sandbox path on the agent's host ({@code MESOS_DIRECTORY})
 * @param checkpoint whether the framework checkpoints, so the executor should survive an agent restart
 * @param recoveryTimeout how long to keep trying to reach a restarting agent (only with checkpoint)
 * @param subscriptionBackoffMax the cap of the delay between SUBSCRIBE attempts
 * @param shutdownGracePeriod how long the executor has between SHUTDOWN (or a kill) and being killed
 * @param authenticationToken {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}, sent as a bearer token
 */
public record ExecutorEnvironment(
        FrameworkID frameworkId,
        ExecutorID executorId,
        String agentEndpoint,
        Path sandbox,
        Path directory,
        boolean checkpoint,
        Duration recoveryTimeout,
        Duration subscriptionBackoffMax,
        Duration shutdownGracePeriod,
        Optional<String> authenticationToken) {

    /** Mesos's default {@code --recovery_timeout}, used when checkpointing and the variable is absent. */
    public static final Duration DEFAULT_RECOVERY_TIMEOUT = Duration.ofMinutes(15);
    /** Mesos's default {@code --executor_reregistration_retry_interval} cap. */
    public static final Duration DEFAULT_SUBSCRIPTION_BACKOFF_MAX = Duration.ofSeconds(2);
    /** Mesos's default {@code --executor_shutdown_grace_period}. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(5);

    public ExecutorEnvironment {
        Objects.requireNonNull(frameworkId, "frameworkId");
        Objects.requireNonNull(executorId, "executorId");
        Objects.requireNonNull(agentEndpoint, "agentEndpoint");
        Objects.requireNonNull(recoveryTimeout, "recoveryTimeout");
        Objects.requireNonNull(subscriptionBackoffMax, "subscriptionBackoffMax");
        Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
        Objects.requireNonNull(authenticationToken, "authenticationToken");
    }

    /** The executor API endpoint, {@code http://{agentEndpoint}/api/v1/executor}. */
    public URI executorApi() {
        return URI.create("http://" + agentEndpoint + "/api/v1/executor");
    }

    /** Reads the environment of the current process. */
    public static ExecutorEnvironment fromSystem() {
        return fromEnv(System.getenv());
    }

    /**
     * Reads the variables the agent sets. {@code MESOS_FRAMEWORK_ID}, {@code MESOS_EXECUTOR_ID},
     * {@code MESOS_AGENT_ENDPOINT}, {@code MESOS_DIRECTORY} and {@code MESOS_CHECKPOINT} are
     * required; with {@code MESOS_CHECKPOINT=1}, so are {@code MESOS_RECOVERY_TIMEOUT} and
     * {@code MESOS_SUBSCRIPTION_BACKOFF_MAX}, as a real agent always sets them. Durations are in
     * Mesos's format ({@link MesosDuration}).
     *
     * @throws IllegalArgumentException naming every missing or malformed variable
     */
    public static ExecutorEnvironment fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        String frameworkId = r.required("MESOS_FRAMEWORK_ID");
        String executorId = r.required("MESOS_EXECUTOR_ID");
        String endpoint = r.required("MESOS_AGENT_ENDPOINT");
        String directory = r.required("MESOS_DIRECTORY");
        String checkpointText = r.required("MESOS_CHECKPOINT");
        boolean checkpoint = "1".equals(checkpointText);
        if (checkpointText != null && !checkpoint && !"0".equals(checkpointText)) {
            r.errors.add("MESOS_CHECKPOINT must be 1 or 0, was '" + checkpointText + "'");
        }
        if (endpoint != null && !endpoint.matches("[^:/\\s]+:\\d{1,5}|\\[[0-9a-fA-F:.]+\\]:\\d{1,5}")) {
            r.errors.add("MESOS_AGENT_ENDPOINT must be host:port, was '" + endpoint + "'");
        }
        Duration recovery = r.duration("MESOS_RECOVERY_TIMEOUT", checkpoint, DEFAULT_RECOVERY_TIMEOUT);
        Duration backoffMax = r.duration("MESOS_SUBSCRIPTION_BACKOFF_MAX", checkpoint, DEFAULT_SUBSCRIPTION_BACKOFF_MAX);
        Duration grace = r.duration("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", false, DEFAULT_SHUTDOWN_GRACE_PERIOD);
        if (backoffMax != null && backoffMax.isZero()) {
            r.errors.add("MESOS_SUBSCRIPTION_BACKOFF_MAX must be positive");
        }
        if (!r.errors.isEmpty()) {
            throw new IllegalArgumentException("bad executor environment: " + String.join("; ", r.errors));
        }
        String sandbox = env.getOrDefault("MESOS_SANDBOX", directory);
        return new ExecutorEnvironment(
                FrameworkID.newBuilder().setValue(frameworkId).build(),
                ExecutorID.newBuilder().setValue(executorId).build(),
                endpoint,
                Path.of(sandbox),
                Path.of(directory),
                checkpoint,
                recovery,
                backoffMax,
                grace,
                Optional.ofNullable(env.get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN")).filter(t -> !t.isBlank()));
    }

    /** Collects every problem instead of stopping at the first. */
    private static final class Reader {
        final Map<String, String> env;
        final List<String> errors = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        String required(String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                errors.add(name + " is required but not set");
                return null;
            }
            return value.strip();
        }

        Duration duration(String name, boolean required, Duration fallback) {
            String value = required ? required(name) : env.get(name);
            if (value == null) {
                return fallback;
            }
            try {
                return MesosDuration.parse(value);
            } catch (IllegalArgumentException e) {
                errors.add(name + ": " + e.getMessage());
                return fallback;
            }
        }
    }
}
