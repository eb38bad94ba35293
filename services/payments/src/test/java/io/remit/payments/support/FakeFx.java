package io.remit.payments.support;

import com.sun.net.httpserver.HttpExchange;
import io.remit.fx.api.Money;
import io.remit.fx.api.Quote;
import io.remit.fx.api.QuoteRequest;
import io.remit.kit.http.ApiError;
import io.remit.kit.http.Problem;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * fx as specified: {@code POST /quotes} prices a {@link QuoteRequest} (here at a fixed rate of
 * 0.5 target per source unit and a 1% fee), {@code GET /quotes/{id}} reads a quote back with
 * {@code expired} as of the clock. A test can hold the next quote to keep a request in flight.
 */
public final class FakeFx extends FakeServer {

    public static final String RATE = "0.500000";
    public static final Duration VALIDITY = Duration.ofMinutes(10);
    /** The currencies this fx prices; any other is refused (422 on {@code sourceCurrency}). */
    public static final Set<String> PRICED = Set.of("USD", "EUR", "GBP", "CAD");
    /** The largest target amount priced, in minor units; above it: 422 on {@code targetAmount}. */
    public static final long MAX_TARGET = 100_000_000L;

    private final Clock clock;
    private final Map<String, Quote> quotes = new ConcurrentHashMap<>();
    private final AtomicInteger quotesMade = new AtomicInteger();
    private final AtomicReference<Hold> hold = new AtomicReference<>();

    public FakeFx(Clock clock) {
        this.clock = clock;
    }

    /** A quote as fx would price it to deliver {@code target} from {@code sourceCurrency}. */
    public Quote price(String sourceCurrency, Money target) {
        long source = target.amount() * 2;
        long fee = source / 100;
        Instant now = clock.instant();
        return new Quote("q-" + UUID.randomUUID(), RATE, new Money(source, sourceCurrency), target,
                new Money(fee, sourceCurrency), new Money(source + fee, sourceCurrency), now, now.plus(VALIDITY), false);
    }

    /** Makes {@code q} known, as if fx had priced it. */
    public Quote put(Quote q) {
        quotes.put(q.id(), q);
        return q;
    }

    /** How many quotes {@code POST /quotes} has priced. */
    public int quotesMade() {
        return quotesMade.get();
    }

    /** The next {@code POST /quotes} waits until the hold is released (or 30 s pass). */
    public Hold holdNextQuote() {
        Hold h = new Hold();
        hold.set(h);
        return h;
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if ("POST".equals(method) && path.equals("/quotes")) {
            QuoteRequest r = JSON.readValue(bodyText(exchange), QuoteRequest.class);
            List<Problem> refused = refusals(r);
            if (!refused.isEmpty()) {
                answer(exchange, 422, new ApiError(422, "invalid request: " + refused.size() + " problems", refused));
                return;
            }
            Hold h = hold.getAndSet(null);
            if (h != null) {
                h.arrived.countDown();
                h.await();
            }
            Quote q = put(price(r.sourceCurrency(), new Money(r.targetAmount(), r.targetCurrency())));
            quotesMade.incrementAndGet();
            answer(exchange, 201, q);
        } else if ("GET".equals(method) && path.startsWith("/quotes/")) {
            Quote q = quotes.get(path.substring("/quotes/".length()));
            if (q == null) {
                error(exchange, 404, "quote not found");
            } else {
                boolean expired = !clock.instant().isBefore(q.expiresAt());
                answer(exchange, 200, new Quote(q.id(), q.rate(), q.source(), q.target(), q.fee(), q.total(),
                        q.createdAt(), q.expiresAt(), expired));
            }
        } else {
            error(exchange, 404, "no route " + method + " " + path);
        }
    }

    /** What fx refuses, as fx words it: a currency it does not price, a target above its limit. */
    private static List<Problem> refusals(QuoteRequest r) {
        List<Problem> problems = new ArrayList<>();
        if (!PRICED.contains(r.sourceCurrency())) {
            problems.add(new Problem("sourceCurrency", "unknown currency " + r.sourceCurrency()));
        }
        if (r.targetAmount() != null && r.targetAmount() > MAX_TARGET) {
            problems.add(new Problem("targetAmount", "must be at most " + MAX_TARGET + " " + r.targetCurrency()
                    + " minor units (the equivalent of 1000000 USD)"));
        }
        return problems;
    }

    /** A held quote request: {@link #arrived()} once fx has it, answered after {@link #release()}. */
    public static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits until the held request has reached fx; false after {@code timeout}. */
        public boolean arrived(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            released.countDown();
        }

        private void await() {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
