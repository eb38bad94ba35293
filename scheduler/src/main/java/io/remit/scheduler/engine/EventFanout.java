package io.remit.scheduler.engine;

import io.remit.scheduler.events.SchedulerEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's events on their way to listeners: each decision is queued as it is made and told
 * once the snapshot that shows it is published, so a listener that reads the snapshot on hearing
 * an event finds the change in it. Queueing and telling: the engine's loop thread; listeners may
 * be added from any thread.
 */
final class EventFanout {

    private static final Logger LOG = LoggerFactory.getLogger(EventFanout.class);

    private final List<Consumer<SchedulerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<SchedulerEvent> untold = new ArrayList<>();

    void listen(Consumer<SchedulerEvent> listener) {
        listeners.add(listener);
    }

    void add(SchedulerEvent event) {
        untold.add(event);
    }

    void addAll(Collection<? extends SchedulerEvent> events) {
        untold.addAll(events);
    }

    /** Tells every listener the events queued so far; one that fails does not stop the others. */
    void tell() {
        List<SchedulerEvent> now = List.copyOf(untold);
        untold.clear();
        for (SchedulerEvent event : now) {
            for (Consumer<SchedulerEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("An event listener failed on {}", event, e);
                }
            }
        }
    }
}
