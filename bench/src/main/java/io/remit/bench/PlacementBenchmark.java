package io.remit.bench;

import io.remit.scheduler.placement.PlacementResult;
import io.remit.scheduler.placement.PlacementScenarios;
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
 * The scheduler's placement function on one core: 10,000 waiting instances (100 services) onto
 * 1,000 offers, with UNIQUE, GROUP_BY and attribute constraints and 2,000 running instances.
 * Target: under 100 ms a call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
@Threads(1)
public class PlacementBenchmark {

    PlacementScenarios.Scenario scenario;

    @Setup
    public void setup() {
        scenario = PlacementScenarios.large(7);
        if (scenario.waitingInstances() != 10_000 || scenario.offers().size() != 1_000) {
            throw new IllegalStateException("scenario is not 10,000 x 1,000");
        }
    }

    @Benchmark
    public PlacementResult place10kOnto1kOffers() {
        return scenario.place();
    }
}
