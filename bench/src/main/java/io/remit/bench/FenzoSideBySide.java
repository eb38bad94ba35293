package io.remit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Placement side by side on Fenzo's own hard packing workload ({@link PackingWorkload}): Netflix
 * Fenzo's bin packer at several "good enough" fitness thresholds, Remit's
 * {@link io.remit.scheduler.placement.Placement}, and first-fit decreasing as the floor, each on
 * the same seeded task stream in rounds of 200, in one JVM.
 *
 * <p>Per placer and cluster size: time per round (the placer's whole round: its placement call,
 * the mapping to and from its types and its bookkeeping after launch; the first round of each
 * run is left out, as Fenzo's sample does, and small clusters are run several times to have
 * enough rounds), the mean time inside the placement call alone, tasks placed, and CPU
 * utilisation at the end. The harness's own {@link HostLedger} checks every round and the end
 * state for over-committed CPU, memory or ports and stops the run if it finds any.
 *
 * <p>Usage: {@code FenzoSideBySide [sizes=200,2000,10000] [seed=13] [thresholds=0.01,0.1,0.5,1.0]}
 * ({@code none} for no Fenzo, e.g. to profile the others).
 * A discarded warm-up at 200 hosts runs first.
 */
public final class FenzoSideBySide {

    record Row(int hosts, String placer, int tasks, double placed, double utilisation, Latencies round,
               double roundMeanMs, double coreMeanMs) {}

    private FenzoSideBySide() {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : (args.length > 0 ? args[0] : "200,2000,10000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 13;
        List<Double> thresholds = new ArrayList<>();
        String fenzo = args.length > 2 ? args[2] : "0.01,0.1,0.5,1.0";
        for (String s : "none".equals(fenzo) ? new String[0] : fenzo.split(",")) {
            thresholds.add(Double.parseDouble(s.trim()));
        }
        Map<String, Supplier<PackingPlacer>> placers = new LinkedHashMap<>();
        placers.put("ffd", FirstFitDecreasingPacker::new);
        placers.put("remit", RemitPacker::new);
        for (double t : thresholds) {
            placers.put("fenzo " + t, () -> new FenzoPacker(t));
        }
        System.out.printf(Locale.ROOT, "seed %d, load %s; warming up at 200 hosts%n", seed, load());
        for (int i = 0; i < 3; i++) {
            for (Supplier<PackingPlacer> p : placers.values()) {
                run(p, 200, seed + 1 + i, 1);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int hosts : sizes) {
            int repeats = Math.max(1, Math.min(10, 2_000 / hosts));
            for (Supplier<PackingPlacer> p : placers.values()) {
                System.gc();
                Row row = run(p, hosts, seed, repeats);
                rows.add(row);
                System.out.printf(Locale.ROOT, "  %,d hosts, %s: %.1f ms a round, %.2f %% (load %s)%n",
                        hosts, row.placer(), row.roundMeanMs(), row.utilisation() * 100, load());
            }
        }
        System.out.println();
        System.out.println("| hosts | placer | rounds timed | round mean / median / p90 (ms) | in placement call, mean (ms) | tasks placed | CPU utilisation |");
        System.out.println("| ---: | --- | ---: | --- | ---: | --- | ---: |");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %,d | %s | %d | %.2f / %.2f / %.2f | %.2f | %,.0f of %,d | %.2f %% |%n",
                    r.hosts(), r.placer(), r.round().count(), r.roundMeanMs(), r.round().median(),
                    r.round().percentile(90), r.coreMeanMs(), r.placed(), r.tasks(), r.utilisation() * 100);
        }
        System.out.println();
        for (int hosts : sizes) {
            targets(hosts, rows);
        }
        System.out.printf(Locale.ROOT, "load at the end %s%n", load());
    }

    /** Runs one placer over the workload {@code repeats} times, a fresh cluster each time. */
    static Row run(Supplier<PackingPlacer> factory, int hosts, long seed, int repeats) throws Exception {
        List<PackingTask> tasks = PackingWorkload.tasks(hosts, seed);
        List<List<PackingTask>> rounds = PackingWorkload.rounds(tasks);
        List<Double> roundMs = new ArrayList<>();
        double coreMs = 0;
        double placed = 0;
        double utilisation = 0;
        String name = null;
        for (int rep = 0; rep < repeats; rep++) {
            HostLedger ledger = new HostLedger(hosts);
            try (PackingPlacer placer = factory.get()) {
                name = placer.name();
                placer.start(ledger);
                for (int r = 0; r < rounds.size(); r++) {
                    List<PackingTask> round = rounds.get(r);
                    long t0 = System.nanoTime();
                    List<PackingAssignment> assignments = placer.place(round);
                    long t1 = System.nanoTime();
                    for (PackingAssignment a : assignments) {
                        int id = a.task().id();
                        if (id < round.get(0).id() || id > round.get(round.size() - 1).id()) {
                            throw new IllegalStateException(placer.name() + " placed task " + id + ", not of this round");
                        }
                    }
                    ledger.apply(assignments);
                    long t2 = System.nanoTime();
                    placer.launched(assignments, ledger);
                    long t3 = System.nanoTime();
                    if (r > 0) {
                        roundMs.add(((t1 - t0) + (t3 - t2)) / 1e6);
                        coreMs += placer.lastCoreNanos() / 1e6;
                    }
                }
            }
            ledger.verifyAll();
            placed += ledger.placed();
            utilisation += ledger.cpuUtilisation();
        }
        double mean = roundMs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new Row(hosts, name, tasks.size(), placed / repeats, utilisation / repeats, Latencies.of(roundMs),
                mean, coreMs / roundMs.size());
    }

    private static void targets(int hosts, List<Row> rows) {
        Row remit = null;
        Row ffd = null;
        Row fenzoBest = null;
        Row fenzoHalf = null;
        for (Row r : rows) {
            if (r.hosts() != hosts) {
                continue;
            }
            if (r.placer().startsWith("Remit")) {
                remit = r;
            } else if (r.placer().startsWith("first-fit")) {
                ffd = r;
            } else {
                if (fenzoBest == null || r.utilisation() > fenzoBest.utilisation()) {
                    fenzoBest = r;
                }
                if (r.placer().endsWith(" 0.5")) {
                    fenzoHalf = r;
                }
            }
        }
        if (remit == null || ffd == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "%,d hosts:%n", hosts);
        if (hosts == 200) {
            double gap = (ffd.utilisation() - remit.utilisation()) * 100;
            System.out.printf(Locale.ROOT, "  Remit %.2f %% vs FFD %.2f %%: %.2f points below (target <= 0.5): %s%n",
                    remit.utilisation() * 100, ffd.utilisation() * 100, gap, gap <= 0.5 ? "met" : "MISSED");
        }
        if (fenzoBest != null) {
            System.out.printf(Locale.ROOT, "  utilisation: Remit %.2f %%, Fenzo best %.2f %% (%s), FFD %.2f %%: Remit >= both: %s%n",
                    remit.utilisation() * 100, fenzoBest.utilisation() * 100, fenzoBest.placer(), ffd.utilisation() * 100,
                    remit.utilisation() >= fenzoBest.utilisation() && remit.utilisation() >= ffd.utilisation() ? "met" : "MISSED");
        }
        if (fenzoHalf != null) {
            double ratio = fenzoHalf.roundMeanMs() / remit.roundMeanMs();
            System.out.printf(Locale.ROOT, "  time a round: Fenzo 0.5 %.2f ms, Remit %.2f ms: %.0fx faster (target >= 50x): %s"
                            + " (placement calls alone: %.0fx)%n",
                    fenzoHalf.roundMeanMs(), remit.roundMeanMs(), ratio, ratio >= 50 ? "met" : "MISSED",
                    fenzoHalf.coreMeanMs() / remit.coreMeanMs());
        }
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
