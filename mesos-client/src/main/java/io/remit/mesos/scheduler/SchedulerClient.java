package io.remit.mesos.scheduler;

import io.remit.mesos.MediaType;
import io.remit.mesos.http.Backoff;
import io.remit.mesos.http.EventStreamReader;
import io.remit.mesos.http.MesosHttp;
import io.remit.mesos.http.SerialDelivery;
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

    private enum State { NEW, RUNNING, STOPPED, CLOSED }

    private final SchedulerConfig config;
    private final SchedulerListener listener;
    private final MesosHttp http;
    private final Backoff backoff;
    private final List<URI> endpoints;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final SerialDelivery delivery = new SerialDelivery("mesos-scheduler-events");

    private final Object lock = new Object();
    // Everything below is guarded by lock. A "generation" names one subscription attempt; callbacks
    // of an older generation find it changed and do nothing.
    private State state = State.NEW;
    private long generation;
    private int masterIndex;
    private URI leader;
    private int redirects;
    private int failures;
    private FrameworkID frameworkId;
    private Duration heartbeat = DEFAULT_HEARTBEAT;
    private CompletableFuture<HttpResponse<InputStream>> pendingSubscribe;
    private EventStreamReader<Event> reader;
    private URI streamUri;
    private String streamId;
    /** When the last event arrived, in {@link SchedulerConfig#nanoTime()} nanoseconds. */
    private long lastEventNanos;
    private ScheduledFuture<?> timerTask;

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
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax(), random);
        this.endpoints = config.endpoints();
        this.timer = timer;
        this.ownsTimer = ownsTimer;
        this.frameworkId = config.frameworkInfo().hasId() ? config.frameworkInfo().getId() : null;
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
            if (state == State.CLOSED || streamId == null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "cannot send " + call.getType() + ": " + (state == State.CLOSED ? "client closed" : "not subscribed")));
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
            if (state == State.RUNNING) {
                state = State.STOPPED;
            }
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
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            generation++;
            cancelTimer();
            if (pendingSubscribe != null) {
                pendingSubscribe.cancel(true);
                pendingSubscribe = null;
            }
            if (reader != null) {
                dropStream();
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

    // ---- subscription; every method below runs with lock held ----

    private void subscribe() {
        long gen = ++generation;
        cancelTimer();
        URI uri = leader != null ? leader : endpoints.get(masterIndex);
        Call call = subscribeCall();
        LOG.info("subscribing to {} as {}", uri, call.hasFrameworkId() ? call.getFrameworkId().getValue() : "a new framework");
        CompletableFuture<HttpResponse<InputStream>> f = http.subscribe(uri, call);
        pendingSubscribe = f;
        f.whenComplete((response, failure) -> onSubscribeResponse(gen, uri, response, failure));
    }

    private Call subscribeCall() {
        Call.Subscribe.Builder subscribe = Call.Subscribe.newBuilder().setFrameworkInfo(config.frameworkInfo());
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
        if (frameworkId != null) {
            subscribe.getFrameworkInfoBuilder().setId(frameworkId);
            call.setFrameworkId(frameworkId);
        }
        return call.setSubscribe(subscribe).build();
    }

    private void onSubscribeResponse(long gen, URI uri, HttpResponse<InputStream> response, Throwable failure) {
        String errorBody = response != null && response.statusCode() != 200 && response.statusCode() != 307
                ? MesosHttp.drain(response.body()) : null;
        synchronized (lock) {
            if (gen != generation || state != State.RUNNING) {
                if (response != null) {
                    MesosHttp.discard(response.body());
                }
                return;
            }
            pendingSubscribe = null;
            if (failure != null) {
                LOG.warn("SUBSCRIBE to {} failed: {}", uri, MesosHttp.describe(failure));
                tryNextMaster();
                return;
            }
            int status = response.statusCode();
            if (status == 200) {
                openStream(gen, uri, response);
            } else if (status == 307) {
                MesosHttp.discard(response.body());
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty() || ++redirects > MesosHttp.MAX_REDIRECTS) {
                    LOG.warn("SUBSCRIBE to {} redirected {}; giving up on it", uri,
                            location.map(l -> "too often, lately to " + l).orElse("without a Location"));
                    tryNextMaster();
                } else {
                    leader = MesosHttp.resolve(uri, location.get());
                    LOG.info("{} is not the leader; redirected to {}", uri, leader);
                    subscribe();
                }
            } else {
                LOG.warn("SUBSCRIBE to {} answered {}: {}", uri, status, errorBody);
                tryNextMaster();
            }
        }
    }

    private void openStream(long gen, URI uri, HttpResponse<InputStream> response) {
        Optional<String> sid = response.headers().firstValue(MediaType.STREAM_ID_HEADER);
        if (sid.isEmpty()) {
            MesosHttp.discard(response.body());
            LOG.warn("SUBSCRIBE to {} answered 200 without a {} header", uri, MediaType.STREAM_ID_HEADER);
            tryNextMaster();
            return;
        }
        leader = uri;
        redirects = 0;
        streamUri = uri;
        streamId = sid.get();
        lastEventNanos = config.nanoTime().getAsLong();
        MediaType type = config.mediaType();
        reader = EventStreamReader.start("mesos-scheduler-stream-" + gen, response.body(), config.maxRecordBytes(),
                record -> type.decode(record, Event.newBuilder()), new StreamSink(gen));
        scheduleWatchdog(gen);
    }

    private void onEvent(long gen, Event event) {
        lastEventNanos = config.nanoTime().getAsLong();
        if (event.getType() == Event.Type.SUBSCRIBED) {
            Event.Subscribed subscribed = event.getSubscribed();
            frameworkId = subscribed.getFrameworkId();
            if (subscribed.hasHeartbeatIntervalSeconds() && subscribed.getHeartbeatIntervalSeconds() > 0) {
                heartbeat = Duration.ofNanos((long) (subscribed.getHeartbeatIntervalSeconds() * 1e9));
            }
            failures = 0;
            LOG.info("subscribed as framework {} (stream {}, heartbeat {})", frameworkId.getValue(), streamId, heartbeat);
            scheduleWatchdog(gen);
        } else if (event.getType() == Event.Type.ERROR) {
            String message = event.getError().getMessage();
            LOG.warn("master sent ERROR: {}", message);
            if (state == State.RUNNING && isFrameworkGone(message)) {
                LOG.warn("framework is gone; not resubscribing");
                state = State.STOPPED;
            }
        }
        delivery.submit(() -> listener.received(event));
    }

    private void scheduleWatchdog(long gen) {
        cancelTimer();
        timerTask = timer.schedule(() -> checkHeartbeat(gen), heartbeat.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkHeartbeat(long gen) {
        synchronized (lock) {
            if (gen != generation || reader == null) {
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
        dropStream();
        boolean resubscribing = state == State.RUNNING;
        delivery.submit(() -> listener.disconnected(reason, resubscribing));
        if (resubscribing) {
            scheduleResubscribe();
        }
    }

    private void dropStream() {
        generation++;
        cancelTimer();
        if (reader != null) {
            reader.close();
            reader = null;
        }
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
        Duration delay = backoff.delay(failures++);
        long gen = generation;
        LOG.info("resubscribing in {} ms (attempt {})", delay.toMillis(), failures);
        cancelTimer();
        timerTask = timer.schedule(() -> {
            synchronized (lock) {
                if (gen == generation && state == State.RUNNING) {
                    subscribe();
                }
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timerTask != null) {
            timerTask.cancel(false);
            timerTask = null;
        }
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
                onEvent(gen, event);
                return true;
            }
        }

        @Override
        public void ended(String reason) {
            synchronized (lock) {
                if (gen != generation) {
                    return;
                }
                LOG.warn("event stream from {} ended: {}", streamUri, reason);
                streamLost(reason);
            }
        }
    }
}
