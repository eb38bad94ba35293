package io.remit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.registry.discovery.Instance;
import io.remit.scheduler.engine.AgentView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.observe.PrometheusTargets;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.state.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The answer of {@code GET /v1/prometheus/targets} with 2,000 live instances (200 services of 10,
 * on 100 agents in 4 zones, each service's spec with a team label): building the target groups
 * from the discovery records and, for the 2,000 executors, from the task records, and writing
 * them (4,000) as JSON, as the endpoint does, on one core. Target: under 50 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
@Threads(1)
public class PrometheusTargetsBenchmark {

    PrometheusTargets targets;
    ObjectMapper json;

    @Setup
    public void setup() {
        List<Instance> live = new ArrayList<>();
        Map<String, TaskRecord> tasks = new LinkedHashMap<>();
        Map<String, ServiceSpec> specs = new LinkedHashMap<>();
        Map<String, AgentView> agents = new LinkedHashMap<>();
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        for (int a = 0; a < 100; a++) {
            agents.put("agent-" + a + "-S0", new AgentView("agent-" + a + "-S0", host(a), Map.of("zone", "zone-" + a % 4), 8, 16384, at));
        }
        for (int s = 0; s < 200; s++) {
            specs.put("svc-" + s, spec("svc-" + s));
            for (int i = 0; i < 10; i++) {
                int agent = (s * 10 + i) % 100;
                String taskId = "svc-" + s + "." + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) s, (byte) i});
                Map<String, Integer> ports = Map.of("http", 31000 + i * 3, "admin", 31001 + i * 3);
                live.add(new Instance("svc-" + s, taskId, host(agent), ports, "1." + (i % 3) + ".0", "zone-" + agent % 4,
                        "agent-" + agent + "-S0", at));
                tasks.put(taskId, new TaskRecord(taskId, "svc-" + s, "r1", "1." + (i % 3) + ".0", TaskState.HEALTHY, true,
                        "agent-" + agent + "-S0", host(agent), ports, at, at, "TASK_RUNNING", null, 31002 + i * 3));
            }
        }
        List<Instance> snapshot = List.copyOf(live);
        EngineSnapshot state = new EngineSnapshot(specs, tasks, List.of(), Map.of(), Map.of(), agents, true, false, 0);
        targets = new PrometheusTargets(() -> snapshot, () -> state);
        json = new ObjectMapper();
    }

    private static String host(int agent) {
        return "10.0." + agent / 250 + "." + agent % 250;
    }

    private static ServiceSpec spec(String id) {
        try {
            return SpecParser.parseJson("{\"id\":\"" + id + "\",\"version\":\"1.0.0\",\"artifacts\":[\"{{artifacts}}/svc.jar\"],"
                    + "\"instances\":10,\"resources\":{\"cpus\":0.1,\"memMb\":128,\"diskMb\":0,\"ports\":[\"http\",\"admin\"]},"
                    + "\"labels\":{\"team\":\"team-" + Math.abs(id.hashCode() % 17) + "\"}}");
        } catch (InvalidSpecException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public byte[] targetsAsJson() throws Exception {
        return json.writeValueAsBytes(targets.groups());
    }
}
