package io.remit.scheduler.capacity;

import io.remit.scheduler.api.StateView;
import io.remit.scheduler.engine.EngineSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every interval, while this scheduler leads, records the cluster's allocation in the history. */
public final class CapacitySampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CapacitySampler.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capacity-sampler");
        t.setDaemon(true);
        return t;
    });

    public CapacitySampler(StateView state, MasterState master, CapacityHistory history, Clock clock, Duration interval) {
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            if (!state.isLeader()) {
                return;
            }
            try {
                List<AgentCapacity> agents = master.agents();
                Amounts total = Amounts.ZERO;
                Amounts used = Amounts.ZERO;
                for (AgentCapacity a : agents) {
                    total = total.plus(a.total());
                    used = used.plus(a.used());
                }
                EngineSnapshot s = state.snapshot();
                int remit = (int) s.tasks().values().stream().filter(t -> t.state().isActive()).count();
                history.append(new CapacityHistory.Sample(clock.instant(), total, used, remit));
            } catch (Exception e) {
                LOG.warn("capacity sample skipped: {}", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
