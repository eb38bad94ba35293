package io.remit.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The floor: a round's tasks by CPUs, largest first (stable), each onto the lowest-numbered host
 * it fits entirely, lowest free ports first.
 */
final class FirstFitDecreasingPacker implements PackingPlacer {

    private HostLedger ledger;
    private long coreNanos;

    @Override
    public String name() {
        return "first-fit decreasing";
    }

    @Override
    public void start(HostLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public List<PackingAssignment> place(List<PackingTask> round) {
        long start = System.nanoTime();
        List<PackingTask> bySize = new ArrayList<>(round);
        bySize.sort(Comparator.comparingInt(PackingTask::cpus).reversed());
        int hosts = ledger.hosts();
        int[] cpus = new int[hosts];
        int[] mem = new int[hosts];
        int[] ports = new int[hosts];
        for (int h = 0; h < hosts; h++) {
            cpus[h] = ledger.freeCpus(h);
            mem[h] = ledger.freeMemMb(h);
            ports[h] = ledger.freePortCount(h);
        }
        List<PackingAssignment> out = new ArrayList<>(round.size());
        int[] portsTaken = new int[hosts];
        int firstWithRoom = 0;
        for (PackingTask t : bySize) {
            while (firstWithRoom < hosts && cpus[firstWithRoom] == 0) {
                firstWithRoom++;
            }
            for (int h = firstWithRoom; h < hosts; h++) {
                if (cpus[h] >= t.cpus() && mem[h] >= t.memMb() && ports[h] >= t.ports()) {
                    cpus[h] -= t.cpus();
                    mem[h] -= t.memMb();
                    ports[h] -= t.ports();
                    List<Integer> free = ledger.freePorts(h);
                    out.add(new PackingAssignment(t, h, free.subList(portsTaken[h], portsTaken[h] + t.ports())));
                    portsTaken[h] += t.ports();
                    break;
                }
            }
        }
        coreNanos = System.nanoTime() - start;
        return out;
    }

    @Override
    public void launched(List<PackingAssignment> assignments, HostLedger ledger) {}

    @Override
    public long lastCoreNanos() {
        return coreNanos;
    }
}
