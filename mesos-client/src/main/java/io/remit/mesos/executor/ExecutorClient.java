package io.remit.mesos.executor;

import com.google.protobuf.ByteString;
import io.remit.mesos.MediaType;
import io.remit.mesos.http.Backoff;
import io.remit.mesos.http.MesosHttp;
import io.remit.mesos.http.SerialDelivery;
import io.remit.mesos.http.Subscription;
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

    private final ExecutorConfig config;
    private final ExecutorEnvironment env;
    private final ExecutorListener listener;
    private final MesosHttp http;
    private final URI uri;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final SerialDelivery delivery = new SerialDelivery("mesos-executor-events");

    private final Object lock = new Object();
    // Everything below is guarded by lock, and so is the subscription, which calls back into
    // Agent with it held.
    private final Subscription<Event> subscription;
    private final PendingAcknowledgements pending = new PendingAcknowledgements();
    private boolean subscribed;
    /** Whether the agent is gone and the recovery timeout runs; since when, in {@link ExecutorConfig#nanoTime()} ns. */
    private boolean agentGone;
    private long agentGoneNanos;
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
        this.uri = env.executorApi();
        this.timer = timer;
        this.ownsTimer = ownsTimer;
        Duration max = env.subscriptionBackoffMax();
        MediaType type = config.mediaType();
        this.subscription = new Subscription<>(lock, http, new Backoff(min(config.backoffMin(), max), max, new Random()),
                timer, "mesos-executor-stream-", config.maxRecordBytes(),
                record -> type.decode(record, Event.newBuilder()), new Agent());
    }

    /** Starts subscribing, in the background. Call once. */
    public void start() {
        synchronized (lock) {
            subscription.start();
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
            if (subscription.isClosed()) {
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
            if (!subscribed || subscription.isClosed()) {
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
            if (subscription.isClosed()) {
                return;
            }
            subscription.close();
            halt();
        }
        delivery.shutdown(Duration.ofSeconds(5));
        if (ownsTimer) {
            timer.shutdownNow();
        }
    }

    // ---- every method below runs with lock held ----

    private void lost(String reason) {
        if (subscribed || !agentGone) {
            LOG.warn("lost the agent at {}: {}", uri, reason);
        } else {
            LOG.debug("agent at {} still unreachable: {}", uri, reason);
        }
        subscription.halt();
        subscribed = false;
        if (!env.checkpoint()) {
            subscription.stopResubscribing();
            delivery.submit(() -> listener.disconnected(reason, false));
            return;
        }
        if (!agentGone) {
            agentGone = true;
            agentGoneNanos = config.nanoTime().getAsLong();
            delivery.submit(() -> listener.disconnected(reason, true));
            scheduleRecoveryCheck(env.recoveryTimeout());
        }
        subscription.retryLater();
    }

    private void scheduleRecoveryCheck(Duration after) {
        cancel(recoveryTask);
        recoveryTask = timer.schedule(this::checkRecovery, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkRecovery() {
        synchronized (lock) {
            if (!subscription.isRunning() || !agentGone) {
                return;
            }
            // Monotonic time: by a wall clock, an NTP step back would stretch the wait by the step.
            Duration gone = Duration.ofNanos(config.nanoTime().getAsLong() - agentGoneNanos);
            Duration timeout = env.recoveryTimeout();
            if (gone.compareTo(timeout) < 0) {
                scheduleRecoveryCheck(timeout.minus(gone));
                return;
            }
            LOG.error("agent at {} did not come back within the recovery timeout of {}", uri, timeout);
            subscription.stopResubscribing();
            halt();
            delivery.submit(() -> listener.recoveryTimedOut(timeout));
        }
    }

    /** Abandons the current attempt or stream and every timer. */
    private void halt() {
        subscription.halt();
        subscribed = false;
        cancel(recoveryTask);
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

    /** What SUBSCRIBE's answers and the stream mean to an executor: checkpointing, recovery, acknowledgements. */
    private final class Agent implements Subscription.Handler<Event> {

        @Override
        public Subscription.Request subscribeRequest() {
            Call call = call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                    .addAllUnacknowledgedTasks(pending.tasks())
                    .addAllUnacknowledgedUpdates(pending.updates())).build();
            LOG.info("subscribing to {} with {} unacknowledged update(s) and {} task(s)", uri,
                    call.getSubscribe().getUnacknowledgedUpdatesCount(), call.getSubscribe().getUnacknowledgedTasksCount());
            return new Subscription.Request(uri, call);
        }

        @Override
        public void failed(URI at, Throwable failure) {
            lost("SUBSCRIBE failed: " + MesosHttp.describe(failure));
        }

        @Override
        public void answered(URI at, HttpResponse<InputStream> response, String body) {
            lost("SUBSCRIBE answered " + response.statusCode() + ": " + body);
        }

        @Override
        public boolean opening(long gen, URI at, HttpResponse<InputStream> response) {
            return true;
        }

        @Override
        public void event(long gen, Event event) {
            switch (event.getType()) {
                case SUBSCRIBED -> {
                    subscribed = true;
                    subscription.resetBackoff();
                    agentGone = false;
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

        @Override
        public void ended(long gen, String reason) {
            if (subscription.isRunning()) {
                lost(reason);
            }
        }
    }
}
