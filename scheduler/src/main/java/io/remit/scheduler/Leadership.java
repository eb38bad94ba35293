package io.remit.scheduler;

import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.mesos.MesosFramework;
import io.remit.scheduler.mesos.MesosSettings;
import io.remit.scheduler.mesos.TaskInfoFactory;
import io.remit.scheduler.state.FrameworkIdStore;
import io.remit.scheduler.state.SpecStore;
import io.remit.scheduler.state.TaskStore;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only the leader runs: the engine, its Mesos framework and the watch on the specs. Started
 * when this scheduler is elected, stopped when it loses the lease; a new term builds everything
 * afresh from etcd and reconciliation.
 */
final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final FrameworkIdStore frameworkIds;
    private final TaskStore tasks;
    private final SpecStore specs;
    private final MesosSettings mesos;
    private final TaskInfoFactory.Settings launchSettings;
    private final SchedulerEngine.Settings engineSettings;
    private final io.remit.scheduler.engine.EngineMetrics metrics;
    private final io.remit.scheduler.events.EventJournal journal;
    private final String self;
    private volatile SchedulerEngine engine;
    private MesosFramework framework;
    private SpecStore.Watch specWatch;

    Leadership(FrameworkIdStore frameworkIds, TaskStore tasks, SpecStore specs, MesosSettings mesos, TaskInfoFactory.Settings launchSettings,
               SchedulerEngine.Settings engineSettings, io.remit.scheduler.engine.EngineMetrics metrics,
               io.remit.scheduler.events.EventJournal journal, String self) {
        this.metrics = metrics;
        this.journal = journal;
        this.self = self;
        this.frameworkIds = frameworkIds;
        this.tasks = tasks;
        this.specs = specs;
        this.mesos = mesos;
        this.launchSettings = launchSettings;
        this.engineSettings = engineSettings;
    }

    /** The engine while leading, else null. */
    SchedulerEngine engine() {
        return engine;
    }

    synchronized void elected() {
        LOG.info("Elected leader: starting the engine and subscribing to Mesos");
        specWatch = specs.watch(java.time.Duration.ofSeconds(30));
        framework = new MesosFramework(mesos, frameworkIds, new TaskInfoFactory(launchSettings), null);
        SchedulerEngine e = new SchedulerEngine(tasks, framework, Clock.systemUTC(),
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "scheduler-engine");
                    t.setDaemon(true);
                    return t;
                }), engineSettings, metrics);
        framework.bind(e);
        // The first snapshot of a new term is the baseline, not news: a failover must not replay
        // every service and instance as created.
        e.onPublish(new java.util.function.Consumer<>() {
            private boolean first = true;

            @Override
            public void accept(io.remit.scheduler.engine.EngineSnapshot snapshot) {
                if (first) {
                    first = false;
                    journal.rebase(snapshot);
                } else {
                    journal.snapshot(snapshot);
                }
            }
        });
        e.start(specWatch.current());
        specWatch.subscribe(e::specsChanged);
        engine = e;
        framework.start();
        journal.append("leader.changed", java.util.Map.of("leader", self, "elected", true));
    }

    /** Idempotent: the election's listener and the app's shutdown may both call it. */
    synchronized void revoked() {
        if (engine == null && framework == null) {
            return;
        }
        LOG.warn("No longer the leader: stopping the engine and the Mesos subscription");
        journal.append("leader.changed", java.util.Map.of("previous", self, "elected", false));
        if (specWatch != null) {
            specWatch.close();
        }
        if (framework != null) {
            framework.close();
        }
        if (engine != null) {
            engine.close();
        }
        engine = null;
        framework = null;
        specWatch = null;
    }

}
