package io.remit.bench;

import io.remit.scheduler.capacity.AgentCapacity;
import io.remit.scheduler.capacity.Amounts;
import io.remit.scheduler.capacity.CapacityPlanner;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.placement.PortRange;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.state.TaskRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Capacity planning on a large cluster, one core: 1,000 agents in 10 zones running 200 services
 * with 2,000 instances; a what-if of 500 more instances of a service spread by zone (the
 * scheduler's own placement on a copy), and the whole capacity report. Target for what-if: under
 * 200 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
@Threads(1)
public class WhatIfBenchmark {

    static final CapacityPlanner.Overhead OVERHEAD = new CapacityPlanner.Overhead(0.05, 128);

    List<AgentCapacity> agents;
    EngineSnapshot snapshot;
    ServiceSpec spread;

    @Setup
    public void setup() throws Exception {
        Random random = new Random(7);
        Map<String, ServiceSpec> specs = new LinkedHashMap<>();
        for (int s = 0; s < 200; s++) {
            String id = "svc-" + s;
            specs.put(id, SpecParser.parseJson("""
                    {"id":"%s","version":"1.0.0","artifacts":["{{artifacts}}/svc.jar"],"instances":10,
                     "resources":{"cpus":%s,"memMb":%d,"diskMb":0,"ports":["http","admin"]},
                     "constraints":[["zone","GROUP_BY"]],"labels":{"team":"team-%d"}}"""
                    .formatted(id, (1 + random.nextInt(10)) / 10.0, 128 * (1 + random.nextInt(16)), s % 12)));
        }
        Map<String, TaskRecord> tasks = new HashMap<>();
        agents = new java.util.ArrayList<>();
        for (int a = 0; a < 1_000; a++) {
            agents.add(new AgentCapacity("agent-id-" + a, String.format("agent-%04d", a), Map.of("zone", "z" + (a % 10)),
                    new Amounts(16, 65_536, 204_800, 200), new Amounts(random.nextInt(12), random.nextInt(50_000), 0, 20),
                    List.of(new PortRange(31_000, 31_179))));
        }
        int n = 0;
        for (ServiceSpec spec : specs.values()) {
            for (int i = 0; i < spec.instances(); i++) {
                int a = random.nextInt(1_000);
                String taskId = spec.id() + "." + n++;
                tasks.put(taskId, new TaskRecord(taskId, spec.id(), "r", "1.0.0", TaskState.HEALTHY, true, "agent-id-" + a,
                        String.format("agent-%04d", a), Map.of(), Instant.EPOCH, Instant.EPOCH, "TASK_RUNNING", null));
            }
        }
        snapshot = new EngineSnapshot(Map.copyOf(specs), Map.copyOf(tasks), List.of(), Map.of(), Map.of(), Map.of(), true,
                false, 0);
        spread = specs.get("svc-7");
        if (tasks.size() != 2_000) {
            throw new IllegalStateException("expected 2,000 instances");
        }
    }

    @Benchmark
    public CapacityPlanner.WhatIf whatIf500MoreOn1000Agents() {
        return CapacityPlanner.whatIf("q", spread.id(), spread.resources(), spread.constraints(), 500, agents, snapshot,
                OVERHEAD);
    }

    @Benchmark
    public CapacityPlanner.WhatIf whatIfShapeOn1000Agents() {
        return CapacityPlanner.whatIf("q", "what-if", new Resources(2.0, 8192, 0, List.of("http")),
                List.of(new Constraint("hostname", Constraint.Operator.UNIQUE, null)), 1_000, agents, snapshot, OVERHEAD);
    }

    @Benchmark
    public CapacityPlanner.Report report1000Agents() {
        return CapacityPlanner.report(agents, snapshot, OVERHEAD);
    }
}
