package io.remit.scheduler.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.discovery.Instance;
import io.remit.scheduler.engine.AgentView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.state.TaskRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTargetsTest {

    static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    static ServiceSpec spec(String id) throws InvalidSpecException {
        return SpecParser.parseJson("""
                {"id":"%s","version":"1.2.3","artifacts":["{{artifacts}}/svc.jar"],"instances":1,
                 "resources":{"cpus":0.1,"memMb":128,"diskMb":0,"ports":["http","admin"]},"labels":{"team":"treasury"}}"""
                .formatted(id));
    }

    static TaskRecord task(String id, TaskState state, Integer executorPort) {
        return new TaskRecord(id, "fx", "r1", "1.2.3", state, null, "agent-S0", "10.0.0.5",
                Map.of("http", 31000, "admin", 31001), AT, AT, null, null, executorPort);
    }

    static EngineSnapshot snapshot(ServiceSpec spec, List<TaskRecord> tasks, Map<String, AgentView> agents) {
        Map<String, TaskRecord> byId = new LinkedHashMap<>();
        tasks.forEach(t -> byId.put(t.taskId(), t));
        return new EngineSnapshot(Map.of(spec.id(), spec), byId, List.of(), Map.of(), Map.of(), agents, true, false, 0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Map<String, Object> group) {
        return (Map<String, String>) group.get("labels");
    }

    @Test
    void everyLaunchedInstanceHasItsExecutorListedBesideItWithTheInstancesLabels() throws Exception {
        ServiceSpec fx = spec("fx");
        Instance record = new Instance("fx", "fx.a", "10.0.0.5", Map.of("http", 31000, "admin", 31001), "1.2.3", null,
                "agent-S0", AT);
        EngineSnapshot s = snapshot(fx, List.of(task("fx.a", TaskState.HEALTHY, 31002), task("fx.b", TaskState.STARTING, 31005)),
                Map.of("agent-S0", new AgentView("agent-S0", "10.0.0.5", Map.of("zone", "zone-a"), 4, 4096, AT)));

        List<Map<String, Object>> groups = new PrometheusTargets(() -> List.of(record), () -> s).groups();

        assertThat(groups).extracting(g -> g.get("targets"))
                .containsExactly(List.of("10.0.0.5:31001"), List.of("10.0.0.5:31002"), List.of("10.0.0.5:31005"));
        assertThat(labels(groups.get(1))).isEqualTo(Map.of("__metrics_path__", "/metrics", "job", "remit-executor",
                "component", "executor", "service", "fx", "version", "1.2.3", "instance", "fx.a", "agent", "agent-S0",
                "zone", "zone-a", "team", "treasury"));
        assertThat(labels(groups.get(2))).as("still starting: its executor is there all the same")
                .containsEntry("instance", "fx.b").containsEntry("component", "executor");
        assertThat(labels(groups.get(0))).doesNotContainKeys("job", "component").containsEntry("__metrics_path__", "/prometheus")
                .containsEntry("team", "treasury");
    }

    @Test
    void noExecutorTargetBeforeLaunchAfterTheEndOrWithoutAPort() throws Exception {
        EngineSnapshot s = snapshot(spec("fx"), List.of(task("fx.pending", TaskState.PENDING, 31002),
                task("fx.killed", TaskState.KILLED, 31003), task("fx.old", TaskState.HEALTHY, null),
                task("fx.killing", TaskState.KILLING, 31004)), Map.of());

        List<Map<String, Object>> groups = new PrometheusTargets(List::of, () -> s).groups();

        assertThat(groups).extracting(g -> labels(g).get("instance")).as("draining still has its executor")
                .containsExactly("fx.killing");
    }

    @Test
    void onAStandbyWithoutAgentsTheZoneComesFromTheDiscoveryRecord() throws Exception {
        Instance record = new Instance("fx", "fx.a", "10.0.0.5", Map.of("http", 31000, "admin", 31001), "1.2.3", "zone-b",
                "agent-S0", AT);
        EngineSnapshot s = snapshot(spec("fx"), List.of(task("fx.a", TaskState.HEALTHY, 31002)), Map.of());

        List<Map<String, Object>> groups = new PrometheusTargets(() -> List.of(record), () -> s).groups();

        assertThat(groups).extracting(g -> labels(g).get("zone")).containsExactly("zone-b", "zone-b");
    }
}
