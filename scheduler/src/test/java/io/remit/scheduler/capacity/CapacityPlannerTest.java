package io.remit.scheduler.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.placement.PortRange;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Resources;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {

    static final CapacityPlanner.Overhead OVERHEAD = new CapacityPlanner.Overhead(0.05, 128);

    static AgentCapacity agent(String id, String zone, double cpus, long mem, double usedCpus, long usedMem) {
        return new AgentCapacity(id, id + ".local", Map.of("zone", zone), new Amounts(cpus, mem, 10_000, 1000),
                new Amounts(usedCpus, usedMem, 0, 0), List.of(new PortRange(31000, 31999)));
    }

    static TaskRecord task(String id, String service, String agent) {
        return new TaskRecord(id, service, "r", "1.0.0", TaskState.HEALTHY, true, agent, agent + ".local", Map.of(),
                Instant.EPOCH, Instant.EPOCH, "TASK_RUNNING", null);
    }

    @Test
    void reportsTotalsByServiceAndTeamAndFindsStrandedPieces() {
        ServiceSpec fx = TestSpecs.spec("fx", 2); // 0.1 cpus, 128 MB, 2 ports (and one of its executor's)
        List<AgentCapacity> agents = List.of(
                agent("a1", "a", 4, 8192, 0.3, 512),
                agent("a2", "b", 4, 8192, 3.97, 8100)); // 0.03 cpus and 92 MB left: too small for fx
        EngineSnapshot snapshot = new EngineSnapshot(Map.of("fx", fx),
                Map.of("fx.1", task("fx.1", "fx", "a1"), "fx.2", task("fx.2", "fx", "a1")), List.of(), Map.of(), Map.of(),
                Map.of(), true, false, 0);
        CapacityPlanner.Report r = CapacityPlanner.report(agents, snapshot, OVERHEAD);

        assertThat(r.resources().get("cpus").total()).isEqualTo(8.0);
        assertThat(r.resources().get("cpus").allocated()).isEqualTo(4.27);
        assertThat(r.resources().get("memMb").free()).isEqualTo(8192 * 2 - 512 - 8100);
        assertThat(r.byService().get("fx").instances()).isEqualTo(2);
        assertThat(r.byService().get("fx").resources()).isEqualTo(new Amounts(0.3, 512, 0, 6));
        assertThat(r.byTeam()).containsKey("(no team)");
        assertThat(r.otherFrameworks().memMb()).isEqualTo(8100);
        assertThat(r.fragmentation().strandedAgents()).containsExactly("a2.local");
        assertThat(r.fragmentation().stranded().memMb()).isEqualTo(92);
        assertThat(r.fragmentation().largestFree().memMb()).isEqualTo(8192 - 512);
        // a1 has 3.7 cpus and 7680 MB free: 24 more fx (0.15 cpus each with the executor) by cpus.
        assertThat(r.fragmentation().fits()).singleElement().satisfies(f -> assertThat(f.moreInstances()).isEqualTo(24));
    }

    @Test
    void whatIfUsesThePlacementFunctionWithConstraints() {
        List<AgentCapacity> agents = List.of(agent("a1", "a", 4, 8192, 0, 0), agent("a2", "b", 4, 8192, 0, 0),
                agent("a3", "c", 1, 1024, 0, 0));
        EngineSnapshot empty = EngineSnapshot.EMPTY;
        Resources shape = new Resources(1.0, 2048, 0, List.of("http"));
        CapacityPlanner.WhatIf bigOnes = CapacityPlanner.whatIf("q", "big", shape, List.of(), 10, agents, empty, OVERHEAD);
        // 3 fit on each 4-cpu agent (1.05 cpus each), none on the small one.
        assertThat(bigOnes.fits()).isEqualTo(6);
        assertThat(bigOnes.byAgent()).containsOnlyKeys("a1.local", "a2.local");
        assertThat(bigOnes.reason()).isNotBlank();

        CapacityPlanner.WhatIf onePerHost = CapacityPlanner.whatIf("q", "big", shape,
                List.of(new Constraint("hostname", Constraint.Operator.UNIQUE, null)), 10, agents, empty, OVERHEAD);
        assertThat(onePerHost.fits()).isEqualTo(2);
    }

    @Test
    void readsMesosRanges() {
        assertThat(MasterState.ranges("[31000-31999, 32100-32100]"))
                .containsExactly(new PortRange(31000, 31999), new PortRange(32100, 32100));
        assertThat(MasterState.subtract(List.of(new PortRange(31000, 31009)), List.of(new PortRange(31002, 31003))))
                .containsExactly(new PortRange(31000, 31001), new PortRange(31004, 31009));
    }
}
