package io.remit.scheduler;

import io.remit.scheduler.engine.EngineMetrics;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.events.EventJournal;
import io.remit.scheduler.events.SchedulerEvent;
import io.remit.scheduler.events.StandbyEvents;
import io.remit.scheduler.mesos.MesosFramework;
import io.remit.scheduler.mesos.MesosSettings;
import io.remit.scheduler.mesos.TaskInfoFactory;
import io.remit.scheduler.state.FrameworkIdStore;
import io.remit.scheduler.state.SpecStore;
import io.remit.scheduler.state.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only the leader runs: the engine, its Mesos framework and the watch on the specs. Started
 * when this scheduler is elected, stopped when it loses the lease; a new term builds everything
 * afresh from etcd and reconciliation. While it does not lead, a watch on the task records keeps
 * the event journal telling the leader's instance events ({@link StandbyEvents}).
 */
final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final FrameworkIdStore frameworkIds;
    private final TaskStore tasks;
    private final SpecStore specs;
    private final MesosSettings mesos;
    private final TaskInfoFactory.Settings launchSettings;
    private final SchedulerEngine.Settings engineSettings;
    private final EngineMetrics metrics;
    private final EventJournal journal;
    private final String self;
    private volatile SchedulerEngine engine;
    private MesosFramework framework;
    private SpecStore.Watch specWatch;
    private StandbyEvents standby;
    private final java.util.function.Supplier<io.remit.scheduler.release.DeploymentRunner> runners;
    private io.remit.scheduler.release.DeploymentRunner runner;
    private boolean closed;

    Leadership(FrameworkIdStore frameworkIds, TaskStore tasks, SpecStore specs, MesosSettings mesos,
               TaskInfoFactory.Settings launchSettings, SchedulerEngine.Settings engineSettings, EngineMetrics metrics,
               EventJournal journal, String self,
               java.util.function.Supplier<io.remit.scheduler.release.DeploymentRunner> runners) {
        this.runners = runners;
        this.frameworkIds = frameworkIds;
        this.tasks = tasks;
        this.specs = specs;
        this.mesos = mesos;
        this.launchSettings = launchSettings;
        this.engineSettings = engineSettings;
        this.metrics = metrics;
        this.journal = journal;
        this.self = self;
    }

    /** The engine while leading, else null. */
    SchedulerEngine engine() {
        return engine;
    }

    /** Starts as a standby: watches the task records for the event journal until elected. */
    synchronized void start() {
        if (!closed && engine == null && standby == null) {
            standby = StandbyEvents.start(tasks, journal);
        }
    }

    synchronized void elected() {
        LOG.info("Elected leader: starting the engine and subscribing to Mesos");
        stopStandby();
        specWatch = specs.watch(Duration.ofSeconds(30));
        framework = new MesosFramework(mesos, frameworkIds, new TaskInfoFactory(launchSettings), null);
        SchedulerEngine e = new SchedulerEngine(tasks, framework, Clock.systemUTC(), io.remit.scheduler.engine.MonotonicClock.start(),
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "scheduler-engine");
                    t.setDaemon(true);
                    return t;
                }), engineSettings, metrics);
        framework.bind(e);
        e.onEvent(journal::record);
        runner = runners.get();
        // What the deployments under way want is known before the engine's first decision.
        e.start(specWatch.current(), runner.plans(specWatch.current()));
        specWatch.subscribe(e::specsChanged);
        runner.start(e, Duration.ofSeconds(1));
        engine = e;
        framework.start();
        journal.record(new SchedulerEvent.LeadershipChanged(self, true));
    }

    /** Idempotent: the election's listener and the app's shutdown may both call it. */
    synchronized void revoked() {
        if (engine == null && framework == null) {
            return;
        }
        LOG.warn("No longer the leader: stopping the engine and the Mesos subscription");
        journal.record(new SchedulerEvent.LeadershipChanged(self, false));
        if (runner != null) {
            runner.close();
            runner = null;
        }
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
        start();
    }

    /** Stops leading and watching, for good. Idempotent. */
    synchronized void close() {
        closed = true;
        revoked();
        stopStandby();
    }

    private void stopStandby() {
        if (standby != null) {
            standby.close();
            standby = null;
        }
    }
}
