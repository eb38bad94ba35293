package io.remit.scheduler.events;

import io.remit.registry.etcd.Subscription;
import io.remit.scheduler.state.TaskRecord;
import io.remit.scheduler.state.TaskStore;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A standby's instance events: it runs no engine, so it learns the leader's task transitions from
 * the task records the leader writes to etcd, and records each in the journal, so a UI connected
 * to a standby stays live. The leader writes a task's final record (its end state and message)
 * before it deletes it; a delete itself tells nothing more.
 *
 * <p>The records there when the watch starts are the baseline, not news. Changes that etcd
 * delivers together are seen as one step: a record written twice in that step tells only its
 * last state, and an ended task whose final record and delete come together is not told.
 *
 * <p>Threading: the store's watch calls {@link #accept} one call at a time.
 */
public final class StandbyEvents implements Consumer<Map<String, TaskRecord>>, AutoCloseable {

    private final EventJournal journal;
    private Map<String, TaskRecord> last;
    private Subscription subscription;
    private boolean closed;

    private StandbyEvents(EventJournal journal) {
        this.journal = journal;
    }

    /** Starts watching the task records; returns at once. */
    public static StandbyEvents start(TaskStore tasks, EventJournal journal) {
        StandbyEvents events = new StandbyEvents(journal);
        Subscription s = tasks.watch(events);
        synchronized (events) {
            events.subscription = s;
        }
        return events;
    }

    @Override
    public synchronized void accept(Map<String, TaskRecord> records) {
        Map<String, TaskRecord> before = last;
        last = records;
        if (before == null || closed) {
            return;
        }
        for (TaskRecord now : records.values()) {
            TaskRecord was = before.get(now.taskId());
            if (was == null || was.state() != now.state()) {
                journal.record(SchedulerEvent.TaskTransition.of(was == null ? null : was.state(), now));
            }
        }
    }

    /** Stops watching; tells nothing after it returns. Idempotent. */
    @Override
    public void close() {
        Subscription s;
        synchronized (this) {
            closed = true;
            s = subscription;
            subscription = null;
        }
        if (s != null) {
            s.close(); // outside the lock: closing waits for a call under way to return
        }
    }
}
