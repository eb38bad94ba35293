package io.remit.mesos.executor;

import java.time.Duration;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * Receives what an {@link ExecutorClient} hears from the agent.
 *
 * <p>Threading: every method is called on the client's one delivery thread, one call at a time,
 * in the order things happened; never concurrently. An exception thrown here is logged and the
 * next callback still comes. The listener may call {@link ExecutorClient#update} and
 * {@link ExecutorClient#close} freely.
 */
public interface ExecutorListener {

    /**
     * One event: SUBSCRIBED, LAUNCH, LAUNCH_GROUP, KILL, ACKNOWLEDGED, MESSAGE, SHUTDOWN, ERROR,
     * HEARTBEAT. LAUNCH'd tasks and ACKNOWLEDGED updates have been recorded by the time the
     * event is delivered.
     */
    void received(Event event);

    /**
     * The connection to the agent is gone.
     *
     * @param resubscribing true when the framework checkpoints: the client keeps trying until
     *     the agent is back (a new SUBSCRIBED) or the recovery timeout ends it
     *     ({@link #recoveryTimedOut}); false without checkpointing: the client has stopped and the
     *     executor should kill its tasks and exit, as Mesos expects
     */
    void disconnected(String reason, boolean resubscribing);

    /**
     * The agent did not come back within {@code MESOS_RECOVERY_TIMEOUT}; the client has stopped
     * and the executor should exit.
     */
    void recoveryTimedOut(Duration recoveryTimeout);
}
