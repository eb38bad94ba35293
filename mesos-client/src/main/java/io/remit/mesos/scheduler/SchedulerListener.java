package io.remit.mesos.scheduler;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Receives what a {@link SchedulerClient} hears from the master.
 *
 * <p>Threading: every method is called on the client's one delivery thread, one call at a
 * time, in the order the events arrived; never concurrently, never on the caller's thread. A
 * slow listener delays later events (the stream is still read, so the heartbeat watchdog is not
 * fooled). An exception thrown by the listener is logged and the next event is delivered anyway.
 * The listener may call {@link SchedulerClient#send} and {@link SchedulerClient#close} freely.
 */
public interface SchedulerListener {

    /**
     * One event from the stream: SUBSCRIBED, OFFERS, UPDATE, HEARTBEAT, ERROR, ... By the time
     * SUBSCRIBED is delivered the client has remembered its framework id, so calls sent from
     * here carry it.
     */
    void received(Event event);

    /**
     * The stream that was open has ended (closed by the master, broken, silent for too long, or
     * closed by the client). Offers received so far are void.
     *
     * @param resubscribing whether the client will SUBSCRIBE again on its own; false after
     *     {@link SchedulerClient#close()}, {@link SchedulerClient#teardown()}, or an ERROR saying
     *     the framework is gone
     */
    void disconnected(String reason, boolean resubscribing);
}
