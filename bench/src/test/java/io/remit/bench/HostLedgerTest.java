package io.remit.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The side-by-side harness's own check: a placer's over-committed answer stops the run. */
class HostLedgerTest {

    private static final int P = PackingWorkload.FIRST_PORT;

    @Test
    void twoThreeQuarterHostTasksOnOneHostAreRefused() {
        HostLedger ledger = new HostLedger(2);
        List<PackingAssignment> round = List.of(
                new PackingAssignment(new PackingTask(0, 6, 6_000, 1), 1, List.of(P)),
                new PackingAssignment(new PackingTask(1, 6, 6_000, 1), 1, List.of(P + 1)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ledger.apply(round));
        assertTrue(e.getMessage().contains("host 1: CPUs over-committed by 4"), e.getMessage());
        assertTrue(e.getMessage().contains("host 1: memory over-committed by 4000 MB"), e.getMessage());
    }

    @Test
    void overCommitAcrossRoundsIsRefusedToo() {
        HostLedger ledger = new HostLedger(1);
        ledger.apply(List.of(new PackingAssignment(new PackingTask(0, 4, 4_000, 1), 0, List.of(P))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ledger.apply(
                List.of(new PackingAssignment(new PackingTask(1, 6, 1_000, 1), 0, List.of(P + 1)))));
        assertTrue(e.getMessage().contains("CPUs over-committed by 2"), e.getMessage());
    }

    @Test
    void aPortGivenTwiceOrNotTheHostsIsRefused() {
        HostLedger ledger = new HostLedger(1);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> ledger.apply(List.of(
                new PackingAssignment(new PackingTask(0, 1, 1_000, 1), 0, List.of(P + 3)),
                new PackingAssignment(new PackingTask(1, 1, 1_000, 1), 0, List.of(P + 3)))));
        assertTrue(twice.getMessage().contains("port " + (P + 3) + " given twice"), twice.getMessage());
        HostLedger other = new HostLedger(1);
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> other.apply(List.of(
                new PackingAssignment(new PackingTask(0, 1, 1_000, 1), 0, List.of(P + PackingWorkload.HOST_PORTS)))));
        assertTrue(outside.getMessage().contains("not one of host 0's"), outside.getMessage());
    }

    @Test
    void aFullButNotOverCommittedHostPassesAndCounts() {
        HostLedger ledger = new HostLedger(2);
        assertDoesNotThrow(() -> ledger.apply(List.of(
                new PackingAssignment(new PackingTask(0, 4, 4_000, 1), 0, List.of(P)),
                new PackingAssignment(new PackingTask(1, 4, 4_000, 1), 0, List.of(P + 1)))));
        assertDoesNotThrow(ledger::verifyAll);
        assertEquals(0.5, ledger.cpuUtilisation());
        assertEquals(2, ledger.placed());
    }

    @Test
    void theWorkloadAsksSlightlyMoreCoresThanTheClusterHas() {
        List<PackingTask> tasks = PackingWorkload.tasks(200, 13);
        assertEquals(1_602, tasks.stream().mapToInt(PackingTask::cpus).sum());
        assertEquals(320, tasks.stream().filter(t -> t.cpus() == 1).count());
        assertEquals(160, tasks.stream().filter(t -> t.cpus() == 4).count());
        assertEquals(107, tasks.stream().filter(t -> t.cpus() == 6).count());
        assertEquals(tasks, PackingWorkload.tasks(200, 13));
    }
}
