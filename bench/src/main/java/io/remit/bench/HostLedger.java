package io.remit.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the placers have put on each host of the packing workload, kept by the harness and not
 * by any placer. {@link #apply} refuses (with an {@link IllegalStateException} naming every
 * problem) a round that places a task twice, or leaves a host over-committed in CPU, memory or
 * ports; {@link #verifyAll} re-adds every host from its task list at the end.
 */
final class HostLedger {

    private final int hosts;
    private final int[] freeCpus;
    private final int[] freeMemMb;
    /** Bit i set: port FIRST_PORT + i is taken. */
    private final int[] takenPorts;
    private final List<List<PackingAssignment>> onHost;
    private final BitSet placedTasks = new BitSet();
    private long usedCpus;
    private int placed;

    HostLedger(int hosts) {
        if (PackingWorkload.HOST_PORTS > 31) {
            throw new IllegalStateException("ports are kept in an int's bits");
        }
        this.hosts = hosts;
        freeCpus = new int[hosts];
        freeMemMb = new int[hosts];
        takenPorts = new int[hosts];
        onHost = new ArrayList<>(hosts);
        for (int h = 0; h < hosts; h++) {
            freeCpus[h] = PackingWorkload.HOST_CPUS;
            freeMemMb[h] = PackingWorkload.HOST_MEM_MB;
            onHost.add(new ArrayList<>());
        }
    }

    int hosts() {
        return hosts;
    }

    int freeCpus(int host) {
        return freeCpus[host];
    }

    int freeMemMb(int host) {
        return freeMemMb[host];
    }

    /** The free port numbers of a host, lowest first. */
    List<Integer> freePorts(int host) {
        List<Integer> free = new ArrayList<>(PackingWorkload.HOST_PORTS);
        for (int i = 0; i < PackingWorkload.HOST_PORTS; i++) {
            if ((takenPorts[host] & (1 << i)) == 0) {
                free.add(PackingWorkload.FIRST_PORT + i);
            }
        }
        return free;
    }

    int freePortCount(int host) {
        return PackingWorkload.HOST_PORTS - Integer.bitCount(takenPorts[host]);
    }

    /** Whether the host has anything left that a task could use (CPU and memory both). */
    boolean hasRoom(int host) {
        return freeCpus[host] > 0 && freeMemMb[host] > 0;
    }

    int placed() {
        return placed;
    }

    /** Cores in use over cores in the cluster. */
    double cpuUtilisation() {
        return (double) usedCpus / ((long) hosts * PackingWorkload.HOST_CPUS);
    }

    /**
     * Records a round's assignments, then checks every host they touched.
     *
     * @throws IllegalStateException naming each task placed twice, host out of range, port outside
     *     the host's ports or taken twice, and host whose CPUs or memory are over-committed
     */
    void apply(List<PackingAssignment> assignments) {
        List<String> problems = new ArrayList<>();
        Set<Integer> touched = new HashSet<>();
        for (PackingAssignment a : assignments) {
            PackingTask task = a.task();
            if (a.host() < 0 || a.host() >= hosts) {
                problems.add("task " + task.id() + " on host " + a.host() + ", which does not exist");
                continue;
            }
            if (placedTasks.get(task.id())) {
                problems.add("task " + task.id() + " placed twice");
            }
            placedTasks.set(task.id());
            if (a.ports().size() != task.ports()) {
                problems.add("task " + task.id() + " got " + a.ports().size() + " ports, needs " + task.ports());
            }
            int h = a.host();
            for (int port : a.ports()) {
                int bit = port - PackingWorkload.FIRST_PORT;
                if (bit < 0 || bit >= PackingWorkload.HOST_PORTS) {
                    problems.add("task " + task.id() + " got port " + port + ", not one of host " + h + "'s");
                } else if ((takenPorts[h] & (1 << bit)) != 0) {
                    problems.add("host " + h + ": port " + port + " given twice (again to task " + task.id() + ")");
                } else {
                    takenPorts[h] |= 1 << bit;
                }
            }
            freeCpus[h] -= task.cpus();
            freeMemMb[h] -= task.memMb();
            usedCpus += task.cpus();
            placed++;
            onHost.get(h).add(a);
            touched.add(h);
        }
        for (int h : touched) {
            if (freeCpus[h] < 0) {
                problems.add("host " + h + ": CPUs over-committed by " + -freeCpus[h]);
            }
            if (freeMemMb[h] < 0) {
                problems.add("host " + h + ": memory over-committed by " + -freeMemMb[h] + " MB");
            }
        }
        fail(problems);
    }

    /** Adds every host up again from its tasks: CPU, memory, distinct ports within its range. */
    void verifyAll() {
        List<String> problems = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            int cpus = 0;
            int mem = 0;
            Set<Integer> ports = new HashSet<>();
            for (PackingAssignment a : onHost.get(h)) {
                cpus += a.task().cpus();
                mem += a.task().memMb();
                for (int port : a.ports()) {
                    if (!ports.add(port) || port < PackingWorkload.FIRST_PORT
                            || port >= PackingWorkload.FIRST_PORT + PackingWorkload.HOST_PORTS) {
                        problems.add("host " + h + ": port " + port + " taken twice or not its own");
                    }
                }
            }
            if (cpus > PackingWorkload.HOST_CPUS || mem > PackingWorkload.HOST_MEM_MB) {
                problems.add("host " + h + ": " + cpus + " CPUs, " + mem + " MB placed on "
                        + PackingWorkload.HOST_CPUS + " CPUs, " + PackingWorkload.HOST_MEM_MB + " MB");
            }
        }
        fail(problems);
    }

    private static void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 20);
            throw new IllegalStateException(problems.size() + " placement problem(s): "
                    + String.join("; ", problems.subList(0, shown)) + (shown < problems.size() ? "; ..." : ""));
        }
    }
}
