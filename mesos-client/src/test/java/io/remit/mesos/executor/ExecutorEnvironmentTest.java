package io.remit.mesos.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorEnvironmentTest {

    /** What a real agent (1.12, checkpointing framework) gave a custom executor. */
    private static Map<String, String> realAgent() {
        Map<String, String> env = new HashMap<>();
        env.put("MESOS_AGENT_ENDPOINT", "127.0.0.1:5051");
        env.put("MESOS_CHECKPOINT", "1");
        env.put("MESOS_DIRECTORY", "/var/lib/mesos/slaves/S0/frameworks/F0/executors/E0/runs/R0");
        env.put("MESOS_SANDBOX", "/var/lib/mesos/slaves/S0/frameworks/F0/executors/E0/runs/R0");
        env.put("MESOS_EXECUTOR_ID", "E0");
        env.put("MESOS_FRAMEWORK_ID", "F0");
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");
        env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
        env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
        env.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
        env.put("MESOS_SLAVE_ID", "S0");
        env.put("MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051");
        env.put("LIBPROCESS_PORT", "0");
        return env;
    }

    @Test
    void readsWhatARealAgentSets() {
        ExecutorEnvironment env = ExecutorEnvironment.fromEnv(realAgent());

        assertThat(env.frameworkId().getValue()).isEqualTo("F0");
        assertThat(env.executorId().getValue()).isEqualTo("E0");
        assertThat(env.agentEndpoint()).isEqualTo("127.0.0.1:5051");
        assertThat(env.executorApi()).isEqualTo(URI.create("http://127.0.0.1:5051/api/v1/executor"));
        assertThat(env.directory()).isEqualTo(Path.of("/var/lib/mesos/slaves/S0/frameworks/F0/executors/E0/runs/R0"));
        assertThat(env.checkpoint()).isTrue();
        assertThat(env.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(env.subscriptionBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(env.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(env.authenticationToken()).isEmpty();
    }

    @Test
    void withoutCheckpointingRecoverySettingsAreOptional() {
        Map<String, String> vars = realAgent();
        vars.put("MESOS_CHECKPOINT", "0");
        vars.remove("MESOS_RECOVERY_TIMEOUT");
        vars.remove("MESOS_SUBSCRIPTION_BACKOFF_MAX");
        vars.remove("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD");
        vars.remove("MESOS_SANDBOX");

        ExecutorEnvironment env = ExecutorEnvironment.fromEnv(vars);

        assertThat(env.checkpoint()).isFalse();
        assertThat(env.recoveryTimeout()).isEqualTo(ExecutorEnvironment.DEFAULT_RECOVERY_TIMEOUT);
        assertThat(env.subscriptionBackoffMax()).isEqualTo(ExecutorEnvironment.DEFAULT_SUBSCRIPTION_BACKOFF_MAX);
        assertThat(env.shutdownGracePeriod()).isEqualTo(ExecutorEnvironment.DEFAULT_SHUTDOWN_GRACE_PERIOD);
        assertThat(env.sandbox()).as("falls back to MESOS_DIRECTORY").isEqualTo(env.directory());
    }

    @Test
    void namesEveryMissingVariable() {
        assertThatThrownBy(() -> ExecutorEnvironment.fromEnv(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MESOS_FRAMEWORK_ID is required")
                .hasMessageContaining("MESOS_EXECUTOR_ID is required")
                .hasMessageContaining("MESOS_AGENT_ENDPOINT is required")
                .hasMessageContaining("MESOS_DIRECTORY is required")
                .hasMessageContaining("MESOS_CHECKPOINT is required");
    }

    @Test
    void checkpointingNeedsTheRecoverySettings() {
        Map<String, String> vars = realAgent();
        vars.remove("MESOS_RECOVERY_TIMEOUT");
        vars.remove("MESOS_SUBSCRIPTION_BACKOFF_MAX");

        assertThatThrownBy(() -> ExecutorEnvironment.fromEnv(vars))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MESOS_RECOVERY_TIMEOUT is required")
                .hasMessageContaining("MESOS_SUBSCRIPTION_BACKOFF_MAX is required");
    }

    @Test
    void namesMalformedValues() {
        Map<String, String> vars = realAgent();
        vars.put("MESOS_RECOVERY_TIMEOUT", "15 minutes");
        vars.put("MESOS_CHECKPOINT", "yes");
        vars.put("MESOS_AGENT_ENDPOINT", "http://127.0.0.1:5051");
        vars.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5");

        assertThatThrownBy(() -> ExecutorEnvironment.fromEnv(vars))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MESOS_CHECKPOINT must be 1 or 0, was 'yes'")
                .hasMessageContaining("MESOS_AGENT_ENDPOINT must be host:port")
                .hasMessageContaining("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: not a Mesos duration");
    }

    @Test
    void malformedRecoveryTimeoutIsNamedWhenCheckpointing() {
        Map<String, String> vars = realAgent();
        vars.put("MESOS_RECOVERY_TIMEOUT", "15 minutes");
        assertThatThrownBy(() -> ExecutorEnvironment.fromEnv(vars))
                .hasMessageContaining("MESOS_RECOVERY_TIMEOUT: not a Mesos duration");
    }

    @Test
    void readsTheAuthenticationTokenAndIPv6Endpoints() {
        Map<String, String> vars = realAgent();
        vars.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "tok");
        vars.put("MESOS_AGENT_ENDPOINT", "[::1]:5051");

        ExecutorEnvironment env = ExecutorEnvironment.fromEnv(vars);

        assertThat(env.authenticationToken()).contains("tok");
        assertThat(env.executorApi()).isEqualTo(URI.create("http://[::1]:5051/api/v1/executor"));
    }
}
