package io.remit.mesos.scheduler;

import io.remit.mesos.MediaType;
import io.remit.mesos.http.Backoff;
import io.remit.mesos.http.MesosHttp;
import io.remit.mesos.http.SerialDelivery;
import io.remit.mesos.http.Subscription;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Mesos v1 scheduler HTTP API: keeps one SUBSCRIBE stream open to the leading
 * master, resubscribing (as a failover, with the framework id it was given) when the stream ends
 * or goes silent, and sends calls on separate connections.
 *
 * <p>Life cycle: {@link #start()} once, then {@link #send} calls, then {@link #close()}. After an
 * ERROR event that says the framework is gone ({@link #isFrameworkGone}) or after
 * {@link #teardown()}, the client stops resubscribing but stays open until closed.
 *
 * <p>Threading: all public methods are thread-safe and never block on the network. Events and
 * disconnections go to the {@link SchedulerListener} on one dedicated delivery thread, in stream
 * order. The stream is read on its own thread; timers (backoff, heartbeat watchdog) run on a
 * {@link ScheduledExecutorService}, which the client owns unless one is passed in; futures from
 * {@link #send} complete on HTTP client threads.
 */
public final class SchedulerClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerClient.class);
    /** The heartbeat interval assumed until SUBSCRIBED says otherwise (the master's default). */
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    private final SchedulerConfig config;
    private final SchedulerListener listener;
    private final MesosHttp http;
    private final List<URI> endpoints;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final SerialDelivery delivery = new SerialDelivery("mesos-scheduler-events");

    private final Object lock = new Object();
    // Everything below is guarded by lock, and so is the subscription, which calls back into
    // Master with it held.
    private final Subscription<Event> subscription;
    private int masterIndex;
    private URI leader;
    private int redirects;
    private FrameworkID frameworkId;
    private Duration heartbeat = DEFAULT_HEARTBEAT;
    private URI streamUri;
    private String streamId;
    /** When the last event arrived, in {@link SchedulerConfig#nanoTime()} nanoseconds. */
    private long lastEventNanos;
    private ScheduledFuture<?> watchdog;

    /** A client with its own timer thread. */
    public SchedulerClient(SchedulerConfig config, SchedulerListener listener) {
        this(config, listener, Executors.newSingleThreadScheduledExecutor(SerialDelivery.daemon("mesos-scheduler-timer")),
                true, new Random());
    }

    /** A client whose timers run on {@code timer}, which it does not shut down. */
    public SchedulerClient(SchedulerConfig config, SchedulerListener listener, ScheduledExecutorService timer) {
        this(config, listener, timer, false, new Random());
    }

    private SchedulerClient(SchedulerConfig config, SchedulerListener listener, ScheduledExecutorService timer,
            boolean ownsTimer, Random random) {
        this.config = config;
        this.listener = listener;
        this.http = new MesosHttp(config.mediaType(), config.headers(), config.requestTimeout());
        this.endpoints = config.endpoints();
        this.timer = timer;
        this.ownsTimer = ownsTimer;
        this.frameworkId = config.frameworkInfo().hasId() ? config.frameworkInfo().getId() : null;
        MediaType type = config.mediaType();
        this.subscription = new Subscription<>(lock, http, new Backoff(config.backoffMin(), config.backoffMax(), random),
                timer, "mesos-scheduler-stream-", config.maxRecordBytes(),
                record -> type.decode(record, Event.newBuilder()), new Master());
    }

    /** Starts subscribing, in the background. Call once. */
    public void start() {
        synchronized (lock) {
            subscription.start();
        }
    }

    /**
     * Sends a call on the current stream: fills in {@code framework_id} when absent, adds the
     * {@code Mesos-Stream-Id}, follows 307 redirects. The future completes normally on 202, or
     * exceptionally with a {@link io.remit.mesos.MesosCallException} (another status), an I/O
     * exception, or an {@link IllegalStateException} when no stream is open. Not retried: Mesos
     * calls are not all idempotent, and the caller knows which are.
     */
    public CompletableFuture<Void> send(Call call) {
        if (call.getType() == Call.Type.SUBSCRIBE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("SUBSCRIBE is the client's own business"));
        }
        Call.Builder b = call.toBuilder();
        URI uri;
        String sid;
        synchronized (lock) {
            if (subscription.isClosed() || streamId == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("cannot send " + call.getType() + ": "
                        + (subscription.isClosed() ? "client closed" : "not subscribed")));
            }
            if (!b.hasFrameworkId() && frameworkId != null) {
                b.setFrameworkId(frameworkId);
            }
            uri = streamUri;
            sid = streamId;
        }
        return http.call(uri, b.build(), call.getType().name(), Map.of(MediaType.STREAM_ID_HEADER, sid));
    }

    /**
     * Sends TEARDOWN, after which the client never resubscribes, and closes the client when the
     * call is answered, whatever the answer. The future is that of {@link #send}.
     */
    public CompletableFuture<Void> teardown() {
        synchronized (lock) {
            subscription.stopResubscribing();
        }
        CompletableFuture<Void> sent = send(SchedulerCalls.teardown());
        return sent.whenComplete((ok, failure) -> close());
    }

    /** The framework id: the configured one, then the one SUBSCRIBED gave. */
    public Optional<FrameworkID> frameworkId() {
        synchronized (lock) {
            return Optional.ofNullable(frameworkId);
        }
    }

    /** The id of the open stream, if any. */
    public Optional<String> streamId() {
        synchronized (lock) {
            return Optional.ofNullable(streamId);
        }
    }

    /**
     * Stops resubscribing, closes the stream (the listener gets {@code disconnected(.., false)} if
     * one was open), lets the delivery thread finish the events already queued and stops it.
     * Idempotent. Waits up to 5 s for the delivery thread, unless called from the listener.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (subscription.isClosed()) {
                return;
            }
            boolean streaming = subscription.hasStream();
            subscription.close();
            dropStream();
            if (streaming) {
                delivery.submit(() -> listener.disconnected("client closed", false));
            }
        }
        delivery.shutdown(Duration.ofSeconds(5));
        if (ownsTimer) {
            timer.shutdownNow();
        }
    }

    /**
     * Whether an ERROR event means this framework can no longer subscribe, so resubscribing is
     * pointless or harmful: the master removed it (teardown, failover timeout, operator), or
     * another scheduler instance failed over to it ("Framework failed over"; fighting it back
     * would make two instances take turns). Other errors (say, a validation error) are retried
     * with backoff; the listener sees them and may close the client.
     */
    public static boolean isFrameworkGone(String errorMessage) {
        String m = errorMessage.toLowerCase(Locale.ROOT);
        return m.contains("removed") || m.contains("torn down") || m.contains("teardown") || m.contains("failed over");
    }

    // ---- every method below runs with lock held ----

    private Call subscribeCall() {
        Call.Subscribe.Builder subscribe = Call.Subscribe.newBuilder().setFrameworkInfo(config.frameworkInfo());
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
        if (frameworkId != null) {
            subscribe.getFrameworkInfoBuilder().setId(frameworkId);
            call.setFrameworkId(frameworkId);
        }
        return call.setSubscribe(subscribe).build();
    }

    private void scheduleWatchdog(long gen) {
        cancelWatchdog();
        watchdog = timer.schedule(() -> checkHeartbeat(gen), heartbeat.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkHeartbeat(long gen) {
        synchronized (lock) {
            if (!subscription.isStreaming(gen)) {
                return;
            }
            Duration silent = Duration.ofNanos(config.nanoTime().getAsLong() - lastEventNanos);
            Duration limit = heartbeat.multipliedBy(config.heartbeatMisses());
            if (silent.compareTo(limit) >= 0) {
                LOG.warn("no event from {} for {} ({} heartbeats missed); resubscribing", streamUri, silent,
                        config.heartbeatMisses());
                leader = null;
                streamLost("no event for " + silent.toMillis() + " ms");
            } else {
                scheduleWatchdog(gen);
            }
        }
    }

    private void streamLost(String reason) {
        subscription.halt();
        dropStream();
        boolean resubscribing = subscription.isRunning();
        delivery.submit(() -> listener.disconnected(reason, resubscribing));
        if (resubscribing) {
            scheduleResubscribe();
        }
    }

    /** Forgets the stream the subscription has just abandoned. */
    private void dropStream() {
        cancelWatchdog();
        streamId = null;
        streamUri = null;
    }

    private void tryNextMaster() {
        leader = null;
        redirects = 0;
        masterIndex = (masterIndex + 1) % endpoints.size();
        scheduleResubscribe();
    }

    private void scheduleResubscribe() {
        Duration delay = subscription.retryLater();
        LOG.info("resubscribing in {} ms (attempt {})", delay.toMillis(), subscription.failures());
    }

    private void cancelWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    /** What SUBSCRIBE's answers and the stream mean to a scheduler: masters, redirects, heartbeats. */
    private final class Master implements Subscription.Handler<Event> {

        @Override
        public Subscription.Request subscribeRequest() {
            cancelWatchdog();
            URI uri = leader != null ? leader : endpoints.get(masterIndex);
            Call call = subscribeCall();
            LOG.info("subscribing to {} as {}", uri, call.hasFrameworkId() ? call.getFrameworkId().getValue() : "a new framework");
            return new Subscription.Request(uri, call);
        }

        @Override
        public void failed(URI uri, Throwable failure) {
            LOG.warn("SUBSCRIBE to {} failed: {}", uri, MesosHttp.describe(failure));
            tryNextMaster();
        }

        @Override
        public void answered(URI uri, HttpResponse<InputStream> response, String body) {
            int status = response.statusCode();
            if (status != 307) {
                LOG.warn("SUBSCRIBE to {} answered {}: {}", uri, status, body);
                tryNextMaster();
                return;
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty() || ++redirects > MesosHttp.MAX_REDIRECTS) {
                LOG.warn("SUBSCRIBE to {} redirected {}; giving up on it", uri,
                        location.map(l -> "too often, lately to " + l).orElse("without a Location"));
                tryNextMaster();
            } else {
                leader = MesosHttp.resolve(uri, location.get());
                LOG.info("{} is not the leader; redirected to {}", uri, leader);
                subscription.subscribeNow();
            }
        }

        @Override
        public boolean opening(long gen, URI uri, HttpResponse<InputStream> response) {
            Optional<String> sid = response.headers().firstValue(MediaType.STREAM_ID_HEADER);
            if (sid.isEmpty()) {
                LOG.warn("SUBSCRIBE to {} answered 200 without a {} header", uri, MediaType.STREAM_ID_HEADER);
                tryNextMaster();
                return false;
            }
            leader = uri;
            redirects = 0;
            streamUri = uri;
            streamId = sid.get();
            lastEventNanos = config.nanoTime().getAsLong();
            scheduleWatchdog(gen);
            return true;
        }

        @Override
        public void event(long gen, Event event) {
            lastEventNanos = config.nanoTime().getAsLong();
            if (event.getType() == Event.Type.SUBSCRIBED) {
                Event.Subscribed subscribed = event.getSubscribed();
                frameworkId = subscribed.getFrameworkId();
                if (subscribed.hasHeartbeatIntervalSeconds() && subscribed.getHeartbeatIntervalSeconds() > 0) {
                    heartbeat = Duration.ofNanos((long) (subscribed.getHeartbeatIntervalSeconds() * 1e9));
                }
                subscription.resetBackoff();
                LOG.info("subscribed as framework {} (stream {}, heartbeat {})", frameworkId.getValue(), streamId, heartbeat);
                scheduleWatchdog(gen);
            } else if (event.getType() == Event.Type.ERROR) {
                String message = event.getError().getMessage();
                LOG.warn("master sent ERROR: {}", message);
                if (subscription.isRunning() && isFrameworkGone(message)) {
                    LOG.warn("framework is gone; not resubscribing");
                    subscription.stopResubscribing();
                }
            }
            delivery.submit(() -> listener.received(event));
        }

        @Override
        public void ended(long gen, String reason) {
            LOG.warn("event stream from {} ended: {}", streamUri, reason);
            streamLost(reason);
        }
    }
}
