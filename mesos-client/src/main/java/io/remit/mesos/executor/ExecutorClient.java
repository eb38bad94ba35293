package io.remit.mesos.executor;

import com.google.protobuf.ByteString;
import io.remit.mesos.MediaType;
import io.remit.mesos.http.Backoff;
import io.remit.mesos.http.EventStreamReader;
import io.remit.mesos.http.MesosHttp;
import io.remit.mesos.http.SerialDelivery;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Mesos v1 executor HTTP API on the local agent: subscribes, delivers events,
 * sends status updates and keeps each one until the agent acknowledges it.
 *
 * <p>When the connection to the agent is lost: without checkpointing the client stops and says
 * {@code disconnected(.., false)} (the executor is expected to exit); with checkpointing it
 * resubscribes, with backoff capped at {@code MESOS_SUBSCRIPTION_BACKOFF_MAX}, sending the
 * unacknowledged updates and tasks, until {@code MESOS_RECOVERY_TIMEOUT} has passed since the
 * connection was lost, and then says {@code recoveryTimedOut}.
 *
 * <p>Threading: public methods are thread-safe and do not block on the network. Listener
 * callbacks run on one delivery thread, in order; the stream is read on its own thread; timers
 * run on a {@link ScheduledExecutorService} (owned unless passed in); futures complete on HTTP
 * client threads.
 */
public final class ExecutorClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorClient.class);

    private enum State { NEW, RUNNING, STOPPED, CLOSED }

    private final ExecutorConfig config;
    private final ExecutorEnvironment env;
    private final ExecutorListener listener;
    private final MesosHttp http;
    private final Backoff backoff;
    private final URI uri;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final SerialDelivery delivery = new SerialDelivery("mesos-executor-events");

    private final Object lock = new Object();
    // Guarded by lock; callbacks of an older generation (subscription attempt) do nothing.
    private final PendingAcknowledgements pending = new PendingAcknowledgements();
    private State state = State.NEW;
    private long generation;
    private boolean subscribed;
    private Instant disconnectedAt;
    private int failures;
    private CompletableFuture<HttpResponse<InputStream>> pendingSubscribe;
    private EventStreamReader<Event> reader;
    private ScheduledFuture<?> retryTask;
    private ScheduledFuture<?> recoveryTask;

    /** A client with its own timer thread. */
    public ExecutorClient(ExecutorConfig config, ExecutorListener listener) {
        this(config, listener, Executors.newSingleThreadScheduledExecutor(SerialDelivery.daemon("mesos-executor-timer")),
                true);
    }

    /** A client whose timers run on {@code timer}, which it does not shut down. */
    public ExecutorClient(ExecutorConfig config, ExecutorListener listener, ScheduledExecutorService timer) {
        this(config, listener, timer, false);
    }

    private ExecutorClient(ExecutorConfig config, ExecutorListener listener, ScheduledExecutorService timer,
            boolean ownsTimer) {
        this.config = config;
        this.env = config.environment();
        this.listener = listener;
        this.http = new MesosHttp(config.mediaType(), config.requestHeaders(), config.requestTimeout());
        Duration max = env.subscriptionBackoffMax();
        this.backoff = new Backoff(min(config.backoffMin(), max), max, new Random());
        this.uri = env.executorApi();
        this.timer = timer;
        this.ownsTimer = ownsTimer;
    }

    /** Starts subscribing, in the background. Call once. */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("already started");
            }
            state = State.RUNNING;
            subscribe();
        }
    }

    /**
     * Sends a status update. Fills in a fresh random 16-byte {@code uuid} and the {@code timestamp}
     * (from the clock) when absent, and {@code executor_id} and {@code source}. The update is kept
     * until the agent ACKNOWLEDGEs it and goes with every resubscribe meanwhile, even if this
     * POST fails. The future completes on 202, or exceptionally with a
     * {@link io.remit.mesos.MesosCallException}, an I/O exception, or an
     * {@link IllegalStateException} when not subscribed (the update is still kept).
     */
    public CompletableFuture<Void> update(TaskStatus status) {
        TaskStatus.Builder s = status.toBuilder();
        if (!s.hasUuid()) {
            s.setUuid(randomUuid());
        }
        if (!s.hasTimestamp()) {
            Instant now = config.clock().instant();
            s.setTimestamp(now.getEpochSecond() + now.getNano() / 1e9);
        }
        if (!s.hasExecutorId()) {
            s.setExecutorId(env.executorId());
        }
        if (!s.hasSource()) {
            s.setSource(TaskStatus.Source.SOURCE_EXECUTOR);
        }
        Call.Update update = Call.Update.newBuilder().setStatus(s).build();
        synchronized (lock) {
            if (state == State.CLOSED) {
                return CompletableFuture.failedFuture(new IllegalStateException("client closed"));
            }
            pending.sending(update);
            if (!subscribed) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "not subscribed; the update is kept and goes with the next SUBSCRIBE"));
            }
        }
        return http.call(uri, call(Call.Type.UPDATE).setUpdate(update).build(), "UPDATE", Map.of());
    }

    /** Sends opaque bytes to the scheduler; not kept or retried. Completes as {@link #update} does. */
    public CompletableFuture<Void> message(ByteString data) {
        synchronized (lock) {
            if (!subscribed || state == State.CLOSED) {
                return CompletableFuture.failedFuture(new IllegalStateException("not subscribed"));
            }
        }
        Call call = call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setData(data)).build();
        return http.call(uri, call, "MESSAGE", Map.of());
    }

    /** The updates not yet acknowledged, oldest first. */
    public List<Call.Update> unacknowledgedUpdates() {
        synchronized (lock) {
            return pending.updates();
        }
    }

    /** The tasks launched whose terminal update has not been acknowledged, in launch order. */
    public List<TaskInfo> unacknowledgedTasks() {
        synchronized (lock) {
            return pending.tasks();
        }
    }

    /**
     * Stops resubscribing and closes the stream (no {@code disconnected} callback for that),
     * lets the delivery thread finish what is queued and stops it. Idempotent. Waits up to 5 s
     * for the delivery thread, unless called from the listener.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            halt();
        }
        delivery.shutdown(Duration.ofSeconds(5));
        if (ownsTimer) {
            timer.shutdownNow();
        }
    }

    // ---- every method below runs with lock held ----

    private void subscribe() {
        long gen = ++generation;
        Call call = call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .addAllUnacknowledgedTasks(pending.tasks())
                .addAllUnacknowledgedUpdates(pending.updates())).build();
        LOG.info("subscribing to {} with {} unacknowledged update(s) and {} task(s)", uri,
                call.getSubscribe().getUnacknowledgedUpdatesCount(), call.getSubscribe().getUnacknowledgedTasksCount());
        CompletableFuture<HttpResponse<InputStream>> f = http.subscribe(uri, call);
        pendingSubscribe = f;
        f.whenComplete((response, failure) -> onSubscribeResponse(gen, response, failure));
    }

    private void onSubscribeResponse(long gen, HttpResponse<InputStream> response, Throwable failure) {
        String errorBody = response != null && response.statusCode() != 200 ? MesosHttp.drain(response.body()) : null;
        synchronized (lock) {
            if (gen != generation || state != State.RUNNING) {
                if (response != null) {
                    MesosHttp.discard(response.body());
                }
                return;
            }
            pendingSubscribe = null;
            if (failure != null) {
                lost("SUBSCRIBE failed: " + MesosHttp.describe(failure));
            } else if (response.statusCode() != 200) {
                lost("SUBSCRIBE answered " + response.statusCode() + ": " + errorBody);
            } else {
                MediaType type = config.mediaType();
                reader = EventStreamReader.start("mesos-executor-stream-" + gen, response.body(),
                        config.maxRecordBytes(), record -> type.decode(record, Event.newBuilder()), new StreamSink(gen));
            }
        }
    }

    private void onEvent(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> {
                subscribed = true;
                failures = 0;
                disconnectedAt = null;
                cancel(recoveryTask);
                LOG.info("subscribed to agent {}", event.getSubscribed().getAgentInfo().getHostname());
            }
            case LAUNCH -> pending.launched(event.getLaunch().getTask());
            case LAUNCH_GROUP -> event.getLaunchGroup().getTaskGroup().getTasksList().forEach(pending::launched);
            case ACKNOWLEDGED -> {
                if (!pending.acknowledged(event.getAcknowledged().getTaskId(), event.getAcknowledged().getUuid())) {
                    LOG.warn("ACKNOWLEDGED for an unknown update of task {}", event.getAcknowledged().getTaskId().getValue());
                }
            }
            case ERROR -> LOG.warn("agent sent ERROR: {}", event.getError().getMessage());
            default -> { }
        }
        delivery.submit(() -> listener.received(event));
    }

    private void lost(String reason) {
        if (subscribed || disconnectedAt == null) {
            LOG.warn("lost the agent at {}: {}", uri, reason);
        } else {
            LOG.debug("agent at {} still unreachable: {}", uri, reason);
        }
        generation++;
        closeReader();
        subscribed = false;
        if (!env.checkpoint()) {
            state = State.STOPPED;
            delivery.submit(() -> listener.disconnected(reason, false));
            return;
        }
        if (disconnectedAt == null) {
            disconnectedAt = config.clock().instant();
            delivery.submit(() -> listener.disconnected(reason, true));
            scheduleRecoveryCheck(env.recoveryTimeout());
        }
        Duration delay = backoff.delay(failures++);
        long gen = generation;
        cancel(retryTask);
        retryTask = timer.schedule(() -> {
            synchronized (lock) {
                if (gen == generation && state == State.RUNNING) {
                    subscribe();
                }
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void scheduleRecoveryCheck(Duration after) {
        cancel(recoveryTask);
        recoveryTask = timer.schedule(this::checkRecovery, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkRecovery() {
        synchronized (lock) {
            if (state != State.RUNNING || disconnectedAt == null) {
                return;
            }
            Duration gone = Duration.between(disconnectedAt, config.clock().instant());
            Duration timeout = env.recoveryTimeout();
            if (gone.compareTo(timeout) < 0) {
                scheduleRecoveryCheck(timeout.minus(gone));
                return;
            }
            LOG.error("agent at {} did not come back within the recovery timeout of {}", uri, timeout);
            state = State.STOPPED;
            halt();
            delivery.submit(() -> listener.recoveryTimedOut(timeout));
        }
    }

    /** Abandons the current attempt or stream and every timer. */
    private void halt() {
        generation++;
        subscribed = false;
        cancel(retryTask);
        cancel(recoveryTask);
        if (pendingSubscribe != null) {
            pendingSubscribe.cancel(true);
            pendingSubscribe = null;
        }
        closeReader();
    }

    private void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private Call.Builder call(Call.Type type) {
        return Call.newBuilder().setType(type).setExecutorId(env.executorId()).setFrameworkId(env.frameworkId());
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static ByteString randomUuid() {
        UUID uuid = UUID.randomUUID();
        return ByteString.copyFrom(ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Receives one stream's events on its reader thread and forwards them under the lock. */
    private final class StreamSink implements EventStreamReader.Sink<Event> {
        private final long gen;

        StreamSink(long gen) {
            this.gen = gen;
        }

        @Override
        public boolean accept(Event event) {
            synchronized (lock) {
                if (gen != generation) {
                    return false;
                }
                onEvent(event);
                return true;
            }
        }

        @Override
        public void ended(String reason) {
            synchronized (lock) {
                if (gen == generation && state == State.RUNNING) {
                    lost(reason);
                }
            }
        }
    }
}
