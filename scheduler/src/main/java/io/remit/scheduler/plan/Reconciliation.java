package io.remit.scheduler.plan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tracks a round of task reconciliation after (re)subscribing, as the Mesos reconciliation
 * documentation recommends: ask explicitly about every task the scheduler knows, ask again about
 * those still unanswered with growing pauses, and once all are answered ask once implicitly (an
 * empty list) so Mesos also reports tasks the scheduler does not know.
 *
 * <p>The shell calls {@link #begin} on SUBSCRIBED, {@link #answered} on every status update, and
 * {@link #due()} on a timer (for example at {@link #nextAttemptAt()}), sending a RECONCILE call
 * for each request returned. There is no giving up: Mesos answers every task eventually
 * (TASK_LOST, TASK_UNKNOWN or TASK_GONE for tasks it does not know).
 *
 * <p>Not thread-safe: use it from the scheduler's single event thread.
 */
public final class Reconciliation {

    /**
     * One RECONCILE call to send.
     *
     * @param taskIds the tasks to ask about; empty for an implicit reconciliation
     * @param attempt 1 for the first request of the round, then 2, 3, ...
     */
    public record Request(List<String> taskIds, int attempt) {

        public boolean implicit() {
            return taskIds.isEmpty();
        }
    }

    private final Clock clock;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Set<String> awaiting = new TreeSet<>();
    private boolean implicitPending;
    private int attempt;
    private Instant nextAttempt;

    /**
     * @param firstRetry the pause before asking again about unanswered tasks; it doubles each time
     * @param maxRetry the longest pause
     */
    public Reconciliation(Clock clock, Duration firstRetry, Duration maxRetry) {
        this.clock = clock;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    /** Starts a round for these known tasks, replacing any round in progress; the first request is due at once. */
    public void begin(Collection<String> knownTaskIds) {
        awaiting.clear();
        awaiting.addAll(knownTaskIds);
        implicitPending = true;
        attempt = 0;
        nextAttempt = clock.instant();
    }

    /** A status update arrived for the task (in answer or not); stop asking about it. */
    public void answered(String taskId) {
        awaiting.remove(taskId);
    }

    /**
     * The request to send now, if one is due; calling it counts the request as sent and schedules
     * the next one. Explicit requests come first; the single implicit one follows when every task
     * has been answered.
     */
    public Optional<Request> due() {
        if (nextAttempt == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (awaiting.isEmpty()) {
            nextAttempt = null;
            if (!implicitPending) {
                return Optional.empty();
            }
            implicitPending = false;
            return Optional.of(new Request(List.of(), ++attempt));
        }
        if (now.isBefore(nextAttempt)) {
            return Optional.empty();
        }
        attempt++;
        nextAttempt = now.plus(pause(attempt));
        return Optional.of(new Request(List.copyOf(awaiting), attempt));
    }

    private Duration pause(int attempts) {
        Duration d = firstRetry;
        for (int i = 1; i < attempts && d.compareTo(maxRetry) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }

    /** Tasks asked about and not answered yet. */
    public Set<String> awaiting() {
        return Set.copyOf(awaiting);
    }

    /** When {@link #due()} will next return a request; empty when the round is over. */
    public Optional<Instant> nextAttemptAt() {
        if (nextAttempt == null) {
            return Optional.empty();
        }
        return Optional.of(awaiting.isEmpty() ? clock.instant() : nextAttempt); // the implicit request need not wait
    }

    /** Whether the round is over: every task answered and the implicit request sent. */
    public boolean complete() {
        return nextAttempt == null && awaiting.isEmpty() && !implicitPending;
    }
}
