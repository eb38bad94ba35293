package io.remit.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;

/**
 * The hard packing workload of Fenzo's own speed sample ({@code TestLotsOfTasks}), rebuilt here:
 * identical hosts of {@value #HOST_CPUS} CPUs, {@value #HOST_MEM_MB} MB and {@value #HOST_PORTS}
 * ports; tasks of 1, 4 and 6 CPUs with 1,000 MB per CPU and one port each. By cores, a fifth of
 * the cluster is asked for in single-core tasks, two fifths in half-host tasks and two fifths in
 * three-quarter-host tasks; each count is rounded up, so the cores asked for slightly exceed the
 * cluster (by 2 cores at 200 hosts, 4 at 10,000), and single-core tasks would fill any shortfall.
 *
 * <p>The order is mixed the way the sample mixes it, from a seeded {@link Random} so that every
 * placer sees the same stream: up to 20 sweeps over what is left, each taking every task with
 * probability one half in its original order, then the rest. That is not a uniform shuffle: the
 * early rounds carry somewhat more single-core tasks than the late ones.
 */
final class PackingWorkload {

    static final int HOST_CPUS = 8;
    static final int HOST_MEM_MB = 8_000;
    static final int HOST_PORTS = 10;
    static final int FIRST_PORT = 31_000;
    static final int MEM_PER_CPU_MB = 1_000;
    static final int ROUND_SIZE = 200;

    private PackingWorkload() {}

    /** The task stream for a cluster of {@code hosts}, ids 0, 1, ... in stream order. */
    static List<PackingTask> tasks(int hosts, long seed) {
        int cores = hosts * HOST_CPUS;
        List<Integer> shapes = new LinkedList<>();
        int asked = 0;
        asked += add(shapes, 1, ceilDiv(cores, 5));                         // 20 % of cores in 1-CPU tasks
        asked += add(shapes, HOST_CPUS / 2, ceilDiv(cores * 2, 5 * (HOST_CPUS / 2)));       // 40 % in 4-CPU tasks
        asked += add(shapes, HOST_CPUS * 3 / 4, ceilDiv(cores * 2, 5 * (HOST_CPUS * 3 / 4))); // 40 % in 6-CPU tasks
        add(shapes, 1, Math.max(0, cores - asked));
        Random random = new Random(seed);
        List<Integer> mixed = new ArrayList<>(shapes.size());
        for (int sweep = 0; sweep < 20 && !shapes.isEmpty(); sweep++) {
            for (Iterator<Integer> it = shapes.iterator(); it.hasNext(); ) {
                Integer cpus = it.next();
                if (random.nextBoolean()) {
                    mixed.add(cpus);
                    it.remove();
                }
            }
        }
        mixed.addAll(shapes);
        List<PackingTask> tasks = new ArrayList<>(mixed.size());
        for (int cpus : mixed) {
            tasks.add(new PackingTask(tasks.size(), cpus, cpus * MEM_PER_CPU_MB, 1));
        }
        return tasks;
    }

    /** The stream cut into rounds of {@value #ROUND_SIZE} (the last may be shorter). */
    static List<List<PackingTask>> rounds(List<PackingTask> tasks) {
        List<List<PackingTask>> rounds = new ArrayList<>();
        for (int from = 0; from < tasks.size(); from += ROUND_SIZE) {
            rounds.add(tasks.subList(from, Math.min(tasks.size(), from + ROUND_SIZE)));
        }
        return rounds;
    }

    private static int add(List<Integer> shapes, int cpus, int count) {
        for (int i = 0; i < count; i++) {
            shapes.add(cpus);
        }
        return cpus * count;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
