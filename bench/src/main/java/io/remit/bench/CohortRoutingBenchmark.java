package io.remit.bench;

import io.remit.kit.client.Call;
import io.remit.kit.routing.RoutingRules;
import io.remit.registry.discovery.Experiment;
import io.remit.registry.discovery.TrafficSplit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The work an experiment adds to one call of the kit's client, without the network, to set
 * against a call's latency (KitRoutingOverhead): making the call with its cohort key against
 * without, and the routing decision (the rules' lookups and the payer's arm).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CohortRoutingBenchmark {

    String[] payers;
    RoutingRules rules;
    int next;

    @Setup
    public void setup() {
        payers = new String[1_000];
        for (int i = 0; i < payers.length; i++) {
            payers[i] = "payer-" + i;
        }
        Experiment e = new Experiment("new-fees", 10, Experiment.Cohort.ofHeader(Experiment.COHORT_HEADER),
                Map.of("fx", new Experiment.Arms("1.4.2", "1.5.0")));
        Map<String, Experiment> experiments = Map.of(e.name(), e);
        Map<String, TrafficSplit> splits = Map.of("fx", new TrafficSplit("fx", Map.of("1.4.2", 90, "1.5.0", 10)));
        rules = new RoutingRules(() -> splits, () -> experiments);
    }

    private String payer() {
        next = (next + 1) % payers.length;
        return payers[next];
    }

    @Benchmark
    public Call call() {
        return Call.get("/quotes/q1");
    }

    @Benchmark
    public Call callWithCohort() {
        return Call.get("/quotes/q1").withCohort(payer());
    }

    /** What the client looks up and computes for a call with a key: the split, the experiment, the arm's version. */
    @Benchmark
    public String routingDecision() {
        String payer = payer();
        TrafficSplit split = rules.split("fx");
        Experiment e = rules.experimentFor("fx");
        return split == null || e == null ? null : e.versionFor("fx", payer);
    }
}
