package io.remit.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tracing costs {@code POST /payments} on the full local stack ({@link LocalStack}: fx,
 * schools and payments instances on localcluster, PostgreSQL, etcd, the scheduler, Prometheus
 * scraping, and a real Zipkin server receiving every span): every trace sampled
 * ({@code tracing.sampleRate} 1.0) against none (0.0: Brave makes no-op spans, nothing is
 * recorded or reported; trace ids are still made, passed on and logged, as in both modes).
 *
 * <p>One stack, the sample rate switched live through etcd ({@code /remit/config/<svc>/tracing.sampleRate}
 * for payments, fx and schools) between phases, so both modes run on the same JVMs, JIT state,
 * database and machine; the phases alternate in ABBA order (sampled first in even rounds), so
 * that drift on this shared machine falls on both. A phase starts only once every payments
 * instance answers with the new decision in its {@code traceparent}; each phase runs
 * {@link PaymentsLoad}'s clients (a new Idempotency-Key per payment: a schools call, an fx quote,
 * two PostgreSQL transactions) for a few seconds' warm-up and then the measured seconds. Zipkin's
 * own span counter is read after each phase, to show where spans went, and the CPU time of every
 * part of the stack ({@code /proc}) over each measured window, to show what the spans cost and where.
 * Before the rounds, the same phases run unmeasured for {@code WARMUP_SECONDS}.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.TracingOverhead CONCURRENCY PHASE_SECONDS ROUNDS [INSTANCES=2] [WARMUP_SECONDS=300]</pre>
 *
 * Run from the repository root after a build; the stack's folder (logs) is printed and kept.
 */
public final class TracingOverhead {

    enum Mode {
        SAMPLED("1.0", "01"), OFF("0.0", "00");

        final String rate;
        final String flag;

        Mode(String rate, String flag) {
            this.rate = rate;
            this.flag = flag;
        }
    }

    private static final List<String> SERVICES = List.of("fx", "schools", "payments");
    private static final Duration PHASE_WARMUP = Duration.ofSeconds(3);
    private static final Pattern SPANS = Pattern.compile("(?m)^zipkin_collector_spans_total\\{[^}]*transport=\"http\"[^}]*} ([0-9.eE+]+)");

    private TracingOverhead() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: TracingOverhead CONCURRENCY PHASE_SECONDS ROUNDS [INSTANCES=2] [WARMUP_SECONDS=300]");
            System.exit(2);
        }
        int concurrency = Integer.parseInt(args[0]);
        Duration phase = Duration.ofSeconds(Long.parseLong(args[1]));
        int rounds = Integer.parseInt(args[2]);
        int instances = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Duration warmup = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 300);
        System.out.printf("load %s%n", load());
        try (LocalStack stack = LocalStack.start("tracing", SERVICES, spec -> spec.put("instances", instances), null)) {
            System.out.printf("stack in %s; Zipkin %s%n", stack.var, stack.zipkinUrl);
            for (String service : SERVICES) {
                stack.awaitRegistered(service, instances, Duration.ofMinutes(6));
            }
            List<String> urls = stack.urls("payments");
            System.out.printf("%d instances each of %s registered; payments at %s; load %s%n", instances, SERVICES, urls, load());

            // Both paths compiled and the machine settled: the JIT of these JVMs takes minutes on two shared cores.
            for (int i = 0; i < warmup.dividedBy(phase); i++) {
                Mode mode = Mode.values()[i % 2];
                use(stack, mode, urls);
                PaymentsLoad.Result r = PaymentsLoad.run(urls, concurrency, Duration.ZERO, phase, TracingOverhead::body);
                System.out.printf("warm-up %-7s %s; load %s%n", mode, r.summary(), load());
            }

            Map<Mode, List<PaymentsLoad.Result>> results = new EnumMap<>(Mode.class);
            Map<Mode, Double> spans = new EnumMap<>(Mode.class);
            List<Double> pairedP50 = new ArrayList<>();
            Map<Mode, Map<String, Double>> cpu = new EnumMap<>(Mode.class);
            Map<Mode, Integer> paymentsDone = new EnumMap<>(Mode.class);
            for (int round = 0; round < rounds; round++) {
                List<Mode> order = round % 2 == 0 ? List.of(Mode.SAMPLED, Mode.OFF) : List.of(Mode.OFF, Mode.SAMPLED);
                Map<Mode, PaymentsLoad.Result> thisRound = new EnumMap<>(Mode.class);
                for (Mode mode : order) {
                    use(stack, mode, urls);
                    double before = zipkinSpans(stack);
                    // CPU of every part of the stack over the measured window (after the phase's warm-up).
                    java.util.concurrent.CompletableFuture<Map<String, Double>> cpuFrom = java.util.concurrent.CompletableFuture
                            .supplyAsync(stack::cpuMillis, java.util.concurrent.CompletableFuture.delayedExecutor(
                                    PHASE_WARMUP.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
                    PaymentsLoad.Result r = PaymentsLoad.run(urls, concurrency, PHASE_WARMUP, phase, TracingOverhead::body);
                    Map<String, Double> cpuTo = stack.cpuMillis();
                    cpuFrom.get().forEach((part, ms) -> cpu.computeIfAbsent(mode, k -> new java.util.TreeMap<>())
                            .merge(part, cpuTo.getOrDefault(part, ms) - ms, Double::sum));
                    paymentsDone.merge(mode, r.latencies().count(), Integer::sum);
                    double received = awaitSpansSettled(stack) - before;
                    spans.merge(mode, received, Double::sum);
                    thisRound.put(mode, r);
                    results.computeIfAbsent(mode, k -> new ArrayList<>()).add(r);
                    System.out.printf("round %d %-7s %s; Zipkin received %.0f spans (%.1f a payment); load %s%n", round + 1, mode,
                            r.summary(), received, received / Math.max(1, r.latencies().count()), load());
                }
                pairedP50.add(thisRound.get(Mode.SAMPLED).latencies().median() / thisRound.get(Mode.OFF).latencies().median());
            }

            System.out.printf("%nPOST /payments, %d instance(s) each of fx, schools, payments, concurrency %d, "
                    + "%d rounds of %d s per mode (ABBA), after %d s warm-up%n", instances, concurrency, rounds,
                    phase.toSeconds(), warmup.toSeconds());
            Map<Mode, Latencies> all = new EnumMap<>(Mode.class);
            for (Mode mode : Mode.values()) {
                List<Double> samples = new ArrayList<>();
                int payments = 0;
                double perSecond = 0;
                for (PaymentsLoad.Result r : results.get(mode)) {
                    samples.addAll(r.latencies().sortedMillis());
                    payments += r.latencies().count();
                    perSecond += r.perSecond();
                }
                all.put(mode, Latencies.of(samples));
                System.out.printf("%-7s (sampleRate %s): %s; %.1f payments/s; Zipkin received %.0f spans%n", mode, mode.rate,
                        all.get(mode).summary(), perSecond / results.get(mode).size(), spans.get(mode));
            }
            System.out.println("CPU ms per payment, by part of the stack (measured windows):");
            java.util.Set<String> parts = new java.util.TreeSet<>(cpu.get(Mode.SAMPLED).keySet());
            parts.addAll(cpu.get(Mode.OFF).keySet());
            double[] totals = new double[2];
            for (String part : parts) {
                double on = cpu.get(Mode.SAMPLED).getOrDefault(part, 0.0) / paymentsDone.get(Mode.SAMPLED);
                double off = cpu.get(Mode.OFF).getOrDefault(part, 0.0) / paymentsDone.get(Mode.OFF);
                totals[0] += on;
                totals[1] += off;
                System.out.printf("  %-13s sampled %6.2f  off %6.2f  (%+.2f)%n", part, on, off, on - off);
            }
            System.out.printf("  %-13s sampled %6.2f  off %6.2f  (%+.2f, %+.1f %%)%n", "all", totals[0], totals[1],
                    totals[0] - totals[1], 100 * (totals[0] / totals[1] - 1));
            Latencies on = all.get(Mode.SAMPLED);
            Latencies off = all.get(Mode.OFF);
            pairedP50.sort(null);
            System.out.printf("sampled / off: p50 %+.1f %%, p99 %+.1f %%; per-round p50 ratios %s, median %+.1f %%%n",
                    100 * (on.median() / off.median() - 1), 100 * (on.percentile(99) / off.percentile(99) - 1),
                    pairedP50.stream().map(x -> String.format("%.3f", x)).toList(),
                    100 * (pairedP50.get(pairedP50.size() / 2) - 1));
            System.out.printf("load %s; stack logs kept in %s%n", load(), stack.var);
        }
    }

    private static String body(String run, int client, int n) {
        return """
                {"payerId": "trace-%s-%d", "schoolId": "imperial-college-london",
                 "amount": {"amount": %d, "currency": "GBP"}, "sourceCurrency": "USD",
                 "paymentMethod": "BANK_TRANSFER", "reference": "TRACE"}""".formatted(run, client, 100_000 + n);
    }

    /**
     * Puts the mode's sample rate for every service and waits until each payments instance starts
     * its traces with the new decision (the sampled flag of the {@code traceparent} it answers).
     */
    private static void use(LocalStack stack, Mode mode, List<String> urls) {
        for (String service : SERVICES) {
            stack.put("/remit/config/" + service + "/tracing.sampleRate", mode.rate);
        }
        HttpClient http = HttpClient.newHttpClient();
        for (String url : urls) {
            stack.until(url + " samples at " + mode.rate, Duration.ofSeconds(15), () -> {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/payments?payerId=probe&limit=1"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                    return r.headers().firstValue("traceparent").orElse("").endsWith("-" + mode.flag);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /**
     * Zipkin's count of spans received over HTTP (its {@code /prometheus}): 0 before the first
     * span (Zipkin shows the counter only once it has counted one, so a first phase with tracing
     * off found none), NaN only if Zipkin did not answer three times.
     */
    private static double zipkinSpans(LocalStack stack) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(stack.zipkinUrl + "/prometheus")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    Matcher m = SPANS.matcher(r.body());
                    return m.find() ? Double.parseDouble(m.group(1)) : 0;
                }
            } catch (java.io.IOException e) {
                // asked again below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** Zipkin's span count once it has stopped growing (reporters send in batches about every second). */
    private static double awaitSpansSettled(LocalStack stack) throws InterruptedException {
        double last = zipkinSpans(stack);
        for (int i = 0; i < 10; i++) {
            Thread.sleep(1500);
            double now = zipkinSpans(stack);
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
