package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service page's golden-signal charts, first render: a fresh load of
 * {@code /ui/#/services/payments} in Debian's headless Chromium, timed from navigation start to
 * the moment all four charts (request rate, error rate, p50, p99) hold a drawn series (a
 * MutationObserver installed before the page's scripts watches for {@code svg path.series} in
 * each {@code [data-signal]} chart), against the whole local stack ({@link LocalStack}) with its
 * real Prometheus.
 *
 * <p>The charts read the last hour of the recorded series of configs/prometheus/remit.rules.yml
 * through the scheduler's {@code GET /v1/signals/payments?minutes=60} (four range queries to
 * Prometheus). So that an hour is there to read without waiting an hour, the hour before the
 * stack starts is backfilled into Prometheus's own TSDB with {@code promtool tsdb
 * create-blocks-from openmetrics} (the four recorded series of payments, a point every 5 s, as
 * the rules record them, with a version change half-way); the minutes after are Prometheus's own
 * scrapes and rule evaluations of live payments traffic (one client, about 5 payments a second,
 * all along). With {@code liveMinutes} the driver instead waits that long under traffic before
 * measuring, without backfill (60 for a wholly real hour).
 *
 * <p>Loads alternate between a first visit (HTTP cache emptied through DevTools) and a returning
 * one (page and scripts cached), each a new document; the operator is signed in once (the UI
 * keeps the credential in session storage).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.ServiceChartsRender [loads=100] [liveMinutes=0]</pre>
 */
public final class ServiceChartsRender {

    private static final String SERVICE = "payments";
    private static final Duration BACKFILL = Duration.ofMinutes(65);
    private static final int STEP_SECONDS = 5;   // the rules' evaluation_interval
    /** Records, before the page's scripts run, when the four charts first hold a drawn series. */
    private static final String OBSERVER = """
            (() => {
              if (!location.hash.startsWith('#/services/')) return;
              const drawn = () => {
                const charts = document.querySelectorAll('#signals [data-signal]');
                if (charts.length < 4) return false;
                for (const c of charts) {
                  const p = c.querySelector('svg path.series');
                  if (!p || !p.getAttribute('d')) return false;
                }
                return true;
              };
              const observer = new MutationObserver(() => {
                if (window.__chartsDrawn == null && drawn()) {
                  window.__chartsDrawn = performance.now();
                  observer.disconnect();
                  requestAnimationFrame(() => requestAnimationFrame(() => { window.__chartsFrame = performance.now(); }));
                }
              });
              observer.observe(document, {childList: true, subtree: true});
            })();""";

    private ServiceChartsRender() {
    }

    public static void main(String[] args) throws Exception {
        int loads = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int liveMinutes = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        String version = new YAMLMapper().readTree(Path.of("configs/services/" + SERVICE + ".yml").toFile()).path("version").asText();
        Instant start = Instant.now();
        Path blocks = liveMinutes > 0 ? null : backfill(version, start);
        System.out.printf("load %s%n", TracingOverhead.load());
        try (LocalStack stack = LocalStack.start("charts", List.of("fx", "schools", SERVICE),
                spec -> spec.put("instances", 1), blocks)) {
            System.out.printf("stack in %s; Prometheus %s%n", stack.var, stack.prometheusUrl);
            for (String s : List.of("fx", "schools", SERVICE)) {
                stack.awaitRegistered(s, 1, Duration.ofMinutes(6));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger created = new AtomicInteger();
            Thread traffic = new Thread(() -> traffic(stack.urls(SERVICE).get(0), stop, created), "payments-traffic");
            traffic.setDaemon(true);
            traffic.start();
            try {
                long live = Instant.now().getEpochSecond();
                stack.until("Prometheus has recorded live payments traffic", Duration.ofMinutes(3), () ->
                        latestRecorded(stack) > live);
                if (liveMinutes > 0) {
                    System.out.printf("traffic for %d minutes before measuring%n", liveMinutes);
                    TimeUnit.MINUTES.sleep(liveMinutes);
                }
                JsonNode signals = stack.get("/v1/signals/" + SERVICE + "?minutes=60");
                System.out.printf("GET /v1/signals/%s?minutes=60: %s%n", SERVICE, describe(signals));
                measure(stack, loads);
            } finally {
                stop.set(true);
                traffic.join(10_000);
            }
            System.out.printf("%d payments created during the run; load %s; stack logs kept in %s%n", created.get(),
                    TracingOverhead.load(), stack.var);
        }
    }

    private static void measure(LocalStack stack, int loads) throws Exception {
        List<Double> api = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            stack.get("/v1/signals/" + SERVICE + "?minutes=60");
            api.add((System.nanoTime() - t0) / 1e6);
        }
        System.out.printf("the API alone, GET /v1/signals/%s?minutes=60 x 50: %s%n", SERVICE, Latencies.of(api).summary());

        Map<String, List<Double>> cold = new LinkedHashMap<>();
        Map<String, List<Double>> warm = new LinkedHashMap<>();
        try (Chromium browser = Chromium.start()) {
            browser.signIn(stack.schedulerUrl, stack.credential("REMIT_TOKEN"));
            browser.beforeEveryDocument(OBSERVER);
            for (int load = 0; load < loads; load++) {
                boolean first = load % 2 == 0;
                if (first) {
                    browser.clearCache();
                }
                browser.driver.get(stack.schedulerUrl + "/ui/?load=" + load + "#/services/" + SERVICE);
                Map<String, Double> t = awaitCharts(browser);
                t.forEach((k, v) -> (first ? cold : warm).computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                if (load == 0) {
                    System.out.printf("first load: %s%n", t);
                }
            }
        }
        System.out.printf("%nservice page of %s, navigation start -> all four charts drawn, %d loads%n", SERVICE, loads);
        for (var kind : List.of(Map.entry("first visit (cache emptied)", cold), Map.entry("returning (cached)", warm))) {
            System.out.printf("%s:%n", kind.getKey());
            kind.getValue().forEach((what, ms) -> System.out.printf("  %-28s %s%n", what, Latencies.of(ms).summary()));
        }
        List<Double> all = new ArrayList<>(cold.get("charts drawn"));
        all.addAll(warm.get("charts drawn"));
        System.out.printf("all loads, charts drawn: %s%n", Latencies.of(all).summary());
    }

    /** Waits for the charts of the page just opened; the page's timings in ms from navigation start. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> awaitCharts(Chromium browser) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (browser.script("return window.__chartsFrame") == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the charts were not drawn within 30 s; the page shows: "
                        + browser.script("return document.body.innerText.slice(0, 2000)"));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Map<String, Object> raw = (Map<String, Object>) browser.script("""
                const out = {};
                const nav = performance.getEntriesByType('navigation')[0];
                out['DOMContentLoaded'] = nav.domContentLoadedEventEnd;
                const first = (key, value) => { if (out[key] == null) out[key] = value; };
                for (const r of performance.getEntriesByType('resource')) {   // in the order they started
                  const u = new URL(r.name);
                  if (u.pathname === '/ui/app.js') first('app.js loaded', r.responseEnd);
                  if (u.pathname === '/v1/whoami') first('signed in (whoami)', r.responseEnd);
                  if (u.pathname === '/v1/services/payments') first('service read', r.responseEnd);
                  if (u.pathname.startsWith('/v1/signals/')) {
                    first('signals asked', r.startTime);
                    first('signals answered', r.responseEnd);
                  }
                }
                out['charts drawn'] = window.__chartsDrawn;
                out['next frame'] = window.__chartsFrame;
                return out;""");
        Map<String, Double> t = new LinkedHashMap<>();
        raw.forEach((k, v) -> t.put(k, ((Number) v).doubleValue()));
        return t;
    }

    /**
     * TSDB blocks holding the hour before {@code end}: the four recorded series of payments, a point
     * every 5 s, from an older version for the first half and {@code version} after; made by
     * {@code promtool tsdb create-blocks-from openmetrics}. Returns the folder of blocks.
     */
    static Path backfill(String version, Instant end) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("remit-bench-backfill");
        Path input = dir.resolve("history.om.txt");
        long to = end.getEpochSecond() - 60;
        long from = to - BACKFILL.toSeconds();
        long switchAt = from + BACKFILL.toSeconds() / 2;
        String older = "0.0.9";
        Random random = new Random(11);
        int points = (int) ((to - from) / STEP_SECONDS);
        double[] rate = new double[points];
        double r = 5;
        for (int i = 0; i < points; i++) {
            r = Math.max(0.5, r + random.nextGaussian() * 0.2);
            rate[i] = r;
        }
        StringBuilder out = new StringBuilder();
        String[][] series = {
                {"service_version:http_requests:rate1m", "rate"},
                {"service_version:http_error_ratio:rate1m", "errors"},
                {"service_version:http_latency_seconds:p50_1m", "p50"},
                {"service_version:http_latency_seconds:p99_1m", "p99"}};
        for (String[] s : series) {
            out.append("# TYPE ").append(s[0]).append(" gauge\n");
            for (String v : List.of(older, version)) {
                for (int i = 0; i < points; i++) {
                    long at = from + (long) i * STEP_SECONDS;
                    if ((at < switchAt) != v.equals(older)) {
                        continue;
                    }
                    double value = switch (s[1]) {
                        case "rate" -> rate[i];
                        case "errors" -> Math.max(0, 0.002 + random.nextGaussian() * 0.001);
                        case "p50" -> 0.040 + random.nextDouble() * 0.02;
                        default -> 0.200 + random.nextDouble() * 0.15;
                    };
                    out.append(String.format(Locale.ROOT, "%s{service=\"%s\",version=\"%s\"} %.6f %d%n", s[0], SERVICE, v, value, at));
                }
            }
        }
        out.append("# EOF\n");
        Files.writeString(input, out);
        Path blocks = Files.createDirectories(dir.resolve("blocks"));
        Process p = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics", input.toString(), blocks.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("promtool.out").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("promtool failed: " + Files.readString(dir.resolve("promtool.out")));
        }
        System.out.printf("backfilled %d points of 4 series (%s then %s) from %s to %s into %s%n", points * 4, older, version,
                Instant.ofEpochSecond(from), Instant.ofEpochSecond(to), blocks);
        return blocks;
    }

    /** One client creating a payment about every 200 ms until {@code stop}. */
    private static void traffic(String url, AtomicBoolean stop, AtomicInteger created) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int n = 0; !stop.get(); n++) {
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/payments")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").header("Idempotency-Key", run + "-" + n)
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"payerId": "charts-%s", "schoolId": "imperial-college-london",
                                 "amount": {"amount": %d, "currency": "GBP"}, "sourceCurrency": "USD",
                                 "paymentMethod": "BANK_TRANSFER", "reference": "CHARTS"}""".formatted(run, 100_000 + n))).build();
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 201) {
                    created.incrementAndGet();
                }
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // counted as not created; the stack is checked by the charts themselves
            }
        }
    }

    /** The newest time (epoch seconds) at which Prometheus recorded payments' request rate; 0 for none. */
    private static long latestRecorded(LocalStack stack) {
        try {
            String query = URLEncoder.encode("timestamp(service_version:http_requests:rate1m{service=\"" + SERVICE + "\"})",
                    StandardCharsets.UTF_8);
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(stack.prometheusUrl + "/api/v1/query?query=" + query)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long latest = 0;
            for (JsonNode r : LocalStack.JSON.readTree(body).path("data").path("result")) {
                latest = Math.max(latest, (long) r.path("value").path(1).asDouble());
            }
            return latest;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Per signal: the versions and their points, and the time span they cover. */
    private static String describe(JsonNode answer) {
        StringBuilder out = new StringBuilder("step " + answer.path("stepSeconds").asInt() + " s;");
        answer.path("signals").fields().forEachRemaining(e -> {
            out.append(' ').append(e.getKey()).append(':');
            for (JsonNode v : e.getValue()) {
                JsonNode points = v.path("points");
                out.append(String.format(" %s %d points", v.path("version").asText(), points.size()));
                if (points.size() > 0) {
                    out.append(String.format(" (%s..%s)", Instant.ofEpochMilli(points.get(0).get(0).asLong()),
                            Instant.ofEpochMilli(points.get(points.size() - 1).get(0).asLong())));
                }
            }
            out.append(';');
        });
        return out.toString();
    }
}
