package io.remit.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.HealthCheck;
import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarathonEnvironmentTest {

    @Test
    void portsInSpecOrderWithTheirNamesHostAppIdLabelsAndTheSpecsOwnEnvOnTop() {
        ServiceSpec spec = new ServiceSpec("web", "20261128T065200.123Z", List.of(), "", 2,
                new Resources(0.5, 128, 0, List.of("http", "http-admin")), null,
                Map.of("GREETING", EnvValue.plain("hi"), "PORT", EnvValue.plain("mine")),
                new HealthCheck("/", null, null, null, 3, "http"), null, null, Map.of("team", "web", "a.b", "c"),
                "exec run", null);
        TaskRecord task = new TaskRecord("web.1", "web", spec.revision(), spec.version(), TaskState.PENDING, null,
                "agent-1", "host-a", Map.of("http-admin", 31007, "http", 31009), Instant.EPOCH, Instant.EPOCH, null, null);

        assertThat(MarathonEnvironment.of(spec, task)).containsAllEntriesOf(Map.ofEntries(
                Map.entry("PORT0", "31009"), Map.entry("PORT1", "31007"), Map.entry("PORT_HTTP", "31009"),
                Map.entry("PORT_HTTP_ADMIN", "31007"), Map.entry("PORTS", "31009,31007"), Map.entry("PORT", "mine"),
                Map.entry("HOST", "host-a"), Map.entry("MESOS_TASK_ID", "web.1"), Map.entry("MARATHON_APP_ID", "/web"),
                Map.entry("MARATHON_APP_VERSION", "20261128T065200.123Z"), Map.entry("MARATHON_APP_RESOURCE_MEM", "128.0"),
                Map.entry("MARATHON_APP_LABELS", "A_B TEAM"), Map.entry("MARATHON_APP_LABEL_TEAM", "web"),
                Map.entry("MARATHON_APP_LABEL_A_B", "c"), Map.entry("GREETING", "hi")));
    }
}
