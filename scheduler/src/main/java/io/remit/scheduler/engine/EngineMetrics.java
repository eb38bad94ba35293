package io.remit.scheduler.engine;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * What the engine counts (metrics-core), on the admin port's /metrics and /prometheus. Every
 * offer received is used (accepted with launches: one offer for all the instances placed on it),
 * declined, or rescinded by the master first (one rescinded while the engine was deciding on it
 * may be counted as declined or used as well). {@code remit.planner.runs} times each planner run.
 */
public final class EngineMetrics {

    final Meter offersReceived;
    final Meter offersUsed;
    final Meter offersDeclined;
    final Meter offersRescinded;
    final Meter launches;
    final Timer launchToRunning;
    final Timer launchToHealthy;
    final Counter reconciliationRounds;
    final Meter failures;
    final Timer plannerRuns;

    public EngineMetrics(MetricRegistry registry) {
        offersReceived = registry.meter("remit.offers.received");
        offersUsed = registry.meter("remit.offers.used");
        offersDeclined = registry.meter("remit.offers.declined");
        offersRescinded = registry.meter("remit.offers.rescinded");
        launches = registry.meter("remit.instances.launched");
        launchToRunning = registry.timer("remit.instances.launch-to-running");
        launchToHealthy = registry.timer("remit.instances.launch-to-healthy");
        reconciliationRounds = registry.counter("remit.reconciliation.rounds");
        failures = registry.meter("remit.instances.failed");
        plannerRuns = registry.timer("remit.planner.runs");
    }
}
