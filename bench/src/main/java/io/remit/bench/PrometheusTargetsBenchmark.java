package io.remit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.registry.Instance;
import io.remit.scheduler.observe.PrometheusTargets;
import java.time.Instant;
import java.util.ArrayList;
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
 * from the discovery records and writing them as JSON, as the endpoint does, on one core.
 * Target: under 50 ms.
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
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        for (int s = 0; s < 200; s++) {
            for (int i = 0; i < 10; i++) {
                int agent = (s * 10 + i) % 100;
                live.add(new Instance("svc-" + s, "svc-" + s + "." + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) s, (byte) i}),
                        "10.0." + agent / 250 + "." + agent % 250, Map.of("http", 31000 + i * 2, "admin", 31001 + i * 2),
                        "1." + (i % 3) + ".0", "zone-" + agent % 4, "agent-" + agent + "-S0", at));
            }
        }
        List<Instance> snapshot = List.copyOf(live);
        targets = new PrometheusTargets(() -> snapshot, service -> Map.of("team", "team-" + service.hashCode() % 17));
        json = new ObjectMapper();
    }

    @Benchmark
    public byte[] targetsAsJson() throws Exception {
        return json.writeValueAsBytes(targets.groups());
    }
}
