package io.remit.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Steady payment traffic as a careful client sends it: each client thread creates payments one
 * after another, each with a new Idempotency-Key, and retries a payment with the same key and
 * body until it is answered 201 (on 409, 5xx or no answer at all, after a short pause; on another
 * 4xx it gives the key up and says so). Every 201 is kept with its key and payment id, so that a
 * test can check each against the database afterwards.
 *
 * <p>All payments of one traffic share one payer id, which is also its client id
 * ({@code X-Client-Id}), and carry their key as the reference.
 */
final class PaymentTraffic implements AutoCloseable {

    /** A payment answered 201. */
    record Ack(String key, String paymentId, long atNanos) {}

    private final String payer = "chaos-" + UUID.randomUUID().toString().substring(0, 8);
    private final Supplier<List<String>> urls;
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();   // 503
    private final AtomicLong otherErrors = new AtomicLong();   // 409, other 5xx, no answer
    private volatile long giveUpAfterNanos = Long.MAX_VALUE;

    /** @param urls the base URLs of the payments instances now (read before every attempt) */
    PaymentTraffic(Supplier<List<String>> urls, int clientCount) {
        this.urls = urls;
        for (int i = 0; i < clientCount; i++) {
            Thread t = new Thread(this::run, "payment-client-" + i);
            t.setDaemon(true);
            clients.add(t);
        }
        clients.forEach(Thread::start);
    }

    String payer() {
        return payer;
    }

    int acknowledged() {
        return acks.size();
    }

    List<Ack> acks() {
        return List.copyOf(acks.values());
    }

    long attempts() {
        return attempts.get();
    }

    long unavailable() {
        return unavailable.get();
    }

    long otherErrors() {
        return otherErrors.get();
    }

    /** Keys answered with a 4xx other than 409: the request was refused, which steady traffic never should be. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    /**
     * Stops starting new payments and waits for the ones under way to be answered 201, at most
     * {@code within}; returns the keys still not answered then (stuck).
     */
    List<String> stop(Duration within) {
        stopping.set(true);
        giveUpAfterNanos = System.nanoTime() + within.toNanos();
        for (Thread t : clients) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUpAfterNanos - System.nanoTime()) + 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return List.copyOf(pending.keySet());
    }

    @Override
    public void close() {
        stopping.set(true);
        giveUpAfterNanos = 0;
    }

    private void run() {
        while (!stopping.get()) {
            String key = UUID.randomUUID().toString();
            String body = """
                    {"payerId": "%s", "schoolId": "imperial-college-london",
                     "amount": {"amount": %d, "currency": "GBP"}, "sourceCurrency": "USD",
                     "paymentMethod": "BANK_TRANSFER", "reference": "%s"}"""
                    .formatted(payer, 10_000 + ThreadLocalRandom.current().nextInt(90_000), key);
            pending.put(key, System.nanoTime());
            while (System.nanoTime() - giveUpAfterNanos < 0) {
                Optional<HttpResponse<String>> answer = post(key, body);
                attempts.incrementAndGet();
                int status = answer.map(HttpResponse::statusCode).orElse(0);
                if (status == 201) {
                    String id = parse(answer.get().body()).path("id").asText();
                    acks.put(key, new Ack(key, id, System.nanoTime()));
                    pending.remove(key);
                    break;
                }
                if (status >= 400 && status < 500 && status != 409) {
                    refused.add(key + ": " + status + " " + answer.get().body());
                    pending.remove(key);
                    break;
                }
                if (status == 503) {
                    unavailable.incrementAndGet();
                } else {
                    otherErrors.incrementAndGet();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    private Optional<HttpResponse<String>> post(String key, String body) {
        List<String> now = urls.get();
        if (now.isEmpty()) {
            return Optional.empty();
        }
        String url = now.get(ThreadLocalRandom.current().nextInt(now.size()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/payments")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Idempotency-Key", key).header("X-Client-Id", payer)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return LocalRemit.send(request);
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String body) {
        try {
            return LocalRemit.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("a 201 whose body is not JSON: " + body, e);
        }
    }
}
