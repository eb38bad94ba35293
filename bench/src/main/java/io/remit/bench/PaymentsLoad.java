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

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PaymentsLoad CONCURRENCY SECONDS PAYMENTS_URL [PAYMENTS_URL...]");
            System.exit(2);
        }
        int concurrency = Integer.parseInt(args[0]);
        Duration measure = Duration.ofSeconds(Long.parseLong(args[1]));
        List<String> urls = List.of(args).subList(2, args.length);
        Duration warmup = Duration.ofSeconds(15);
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
                        String body = """
                                {"payerId": "load-%s-%d", "schoolId": "imperial-college-london",
                                 "amount": {"amount": %d, "currency": "GBP"}, "sourceCurrency": "USD",
                                 "paymentMethod": "BANK_TRANSFER", "reference": "LOAD"}""".formatted(run, client, 100_000 + n);
                        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", run + "-" + client + "-" + n++)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
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
        Latencies l = Latencies.of(latencies);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        System.out.printf("POST /payments, concurrency %d over %d instance(s), %d s measured after %d s warm-up%n",
                concurrency, urls.size(), measure.toSeconds(), warmup.toSeconds());
        System.out.printf("throughput %.1f payments/s; latency %s; statuses %s%n",
                l.count() / (double) measure.toSeconds(), l.summary(), byStatus);
    }
}
