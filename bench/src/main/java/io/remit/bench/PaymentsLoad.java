package io.remit.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /payments} under a fixed concurrency against a running {@code ./remit local}: each
 * of {@code concurrency} clients sends one payment after the other (a new Idempotency-Key each,
 * so every request creates a payment through schools, fx and PostgreSQL), spread over the
 * payments instances given; reports throughput and latency percentiles after a warm-up.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.PaymentsLoad CONCURRENCY SECONDS URL [URL...]
 * e.g. ... PaymentsLoad 8 60 $(etcdctl get --prefix /remit/discovery/payments/ ... ) </pre>
 */
public final class PaymentsLoad {

    private PaymentsLoad() {
    }

    /** The body of one client's {@code n}th payment of run {@code run}. */
    interface Body {
        String of(String run, int client, int n);
    }

    /** What a load run measured: latencies of the requests that started and ended in the window, and their statuses. */
    record Result(Latencies latencies, Map<Integer, Integer> statuses, Duration measured) {
        double perSecond() {
            return latencies.count() / (measured.toMillis() / 1000.0);
        }

        String summary() {
            return String.format("throughput %.1f payments/s; latency %s; statuses %s", perSecond(),
                    latencies.summary(), statuses);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PaymentsLoad CONCURRENCY SECONDS PAYMENTS_URL [PAYMENTS_URL...]");
            System.exit(2);
        }
        int concurrency = Integer.parseInt(args[0]);
        Duration measure = Duration.ofSeconds(Long.parseLong(args[1]));
        List<String> urls = List.of(args).subList(2, args.length);
        Duration warmup = Duration.ofSeconds(15);
        Result r = run(urls, concurrency, warmup, measure, (run, client, n) -> """
                {"payerId": "load-%s-%d", "schoolId": "imperial-college-london",
                 "amount": {"amount": %d, "currency": "GBP"}, "sourceCurrency": "USD",
                 "paymentMethod": "BANK_TRANSFER", "reference": "LOAD"}""".formatted(run, client, 100_000 + n));
        System.out.printf("POST /payments, concurrency %d over %d instance(s), %d s measured after %d s warm-up%n",
                concurrency, urls.size(), measure.toSeconds(), warmup.toSeconds());
        System.out.println(r.summary());
    }

    /**
     * Runs {@code concurrency} clients, each sending one payment after the other to {@code urls} in
     * turn, for {@code warmup} and then {@code measure}; only requests wholly inside the measured
     * window count.
     */
    static Result run(List<String> urls, int concurrency, Duration warmup, Duration measure, Body body)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        String url = urls.get((client + n) % urls.size()) + "/payments";
                        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", run + "-" + client + "-" + n)
                                .POST(HttpRequest.BodyPublishers.ofString(body.of(run, client, n++))).build();
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && t1 <= end) {
                            latencies.add((t1 - t0) / 1e6);
                            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "client-" + c);
            t.start();
        }
        done.await();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        return new Result(Latencies.of(latencies), byStatus, measure);
    }
}
