package io.remit.bench;

import io.remit.registry.discovery.Instance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log line's way from an instance to the browser, in follow mode: against the whole local stack
 * ({@link LocalStack}), the service page of fx is open in Debian's headless Chromium with the log
 * view of one instance following its stdout (the UI's Logs button and Follow box: {@code GET
 * /v1/instances/{taskId}/logs?follow=true}, which the scheduler serves by polling the agent's
 * {@code /files/read} every 200 ms). The driver then makes the instance write a line: a request
 * for {@code /log-follow-probe/<n>} straight to the instance, which its kit logs (the
 * {@code remit.requests} line and the access log, JSON on stdout, pumped by the executor into the
 * sandbox's {@code service.stdout}). A MutationObserver in the page stamps the moment a line
 * holding the probe enters the log view's DOM. Latency: from just before the request is sent
 * (and, second figure, from the line's own timestamp as the service's logger wrote it) to that
 * moment, one clock (one machine). A plain SSE client of the same endpoint runs alongside and
 * stamps the event's arrival, to tell the scheduler's part from the browser's.
 *
 * <p>Lines are written one at a time, each after the one before was shown, with a random pause
 * of 0-300 ms, so that they fall on every phase of the 200 ms poll.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.LogFollow [lines=200] [instances=2]</pre>
 */
public final class LogFollow {

    private static final String SERVICE = "fx";
    private static final Pattern PROBE = Pattern.compile("log-follow-probe/(\\d+)");
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
    /** Stamps (epoch ms) when a line with each probe number first enters the log view, with that line. */
    private static final String OBSERVER = """
            window.__seen = {};
            const lines = document.getElementById('log-lines');
            new MutationObserver(mutations => {
              const now = performance.timeOrigin + performance.now();
              for (const m of mutations) {
                const added = m.addedNodes;
                // The view redraws its lines on each event; new ones are at the end.
                for (let i = added.length - 1; i >= Math.max(0, added.length - 50); i--) {
                  const text = added[i].textContent || '';
                  const probe = text.match(/log-follow-probe\\/(\\d+)/);
                  if (probe && !(probe[1] in window.__seen)) window.__seen[probe[1]] = [now, text];
                }
              }
            }).observe(lines, {childList: true});""";

    private LogFollow() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf("load %s%n", TracingOverhead.load());
        try (LocalStack stack = LocalStack.start("logs", List.of("fx", "schools", "payments"),
                spec -> spec.put("instances", instances), null)) {
            for (String s : List.of("fx", "schools", "payments")) {
                stack.awaitRegistered(s, instances, Duration.ofMinutes(6));
            }
            Instance instance = stack.instances(SERVICE).get(0);
            String url = "http://" + instance.host() + ":" + instance.port("http").orElseThrow();
            String token = stack.credential("REMIT_TOKEN");
            System.out.printf("stack in %s; following %s (%s); load %s%n", stack.var, instance.taskId(), url, TracingOverhead.load());

            Map<Integer, Long> sse = new ConcurrentHashMap<>();
            Thread sseClient = new Thread(() -> sseClient(stack.schedulerUrl, token, instance.taskId(), sse), "sse-client");
            sseClient.setDaemon(true);
            sseClient.start();

            List<Double> fromRequest = new ArrayList<>();
            List<Double> fromLine = new ArrayList<>();
            Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (Chromium browser = Chromium.start()) {
                browser.signIn(stack.schedulerUrl, token);
                browser.driver.get(stack.schedulerUrl + "/ui/#/services/" + SERVICE);
                // The page redraws its instance rows as events arrive: find and click in one script call.
                stack.until("the Logs button of " + instance.taskId() + " opens the log view", Duration.ofSeconds(30),
                        () -> Boolean.TRUE.equals(browser.script("""
                                const b = document.querySelector("button[data-logs='" + arguments[0] + "']");
                                if (b && !document.getElementById('log-view')) b.click();
                                return !!document.getElementById('log-lines');""", instance.taskId())));
                browser.script(OBSERVER);
                browser.element("#log-follow").click();
                stack.until("the log view follows", Duration.ofSeconds(30),
                        () -> "following".equals(browser.script("return document.getElementById('log-state').textContent")));
                for (int n = -10; n < lines; n++) {   // the first ten warm up, uncounted
                    long sent = System.currentTimeMillis();
                    int status = http.send(HttpRequest.newBuilder(URI.create(url + "/log-follow-probe/" + (n + 10)))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 404) {
                        throw new IllegalStateException("the probe request answered " + status + ", not 404");
                    }
                    List<?> seen = awaitSeen(browser, n + 10);
                    double shown = ((Number) seen.get(0)).doubleValue();
                    if (n >= 0) {
                        fromRequest.add(shown - sent);
                        Matcher ts = TIMESTAMP.matcher((String) seen.get(1));
                        if (ts.find()) {
                            fromLine.add(shown - OffsetDateTime.parse(ts.group(1)).toInstant().toEpochMilli());
                        }
                        sentAt.put(n + 10, sent);
                    }
                    TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(300));
                }
                System.out.printf("log view rows at the end: %s%n",
                        browser.script("return document.querySelectorAll('#log-lines .log-line').length"));
            }
            stack.until("the SSE client has every probe", Duration.ofSeconds(10), () -> sse.keySet().containsAll(sentAt.keySet()));
            List<Double> toSse = new ArrayList<>();
            sentAt.forEach((n, sent) -> toSse.add((double) (sse.get(n) - sent)));
            System.out.printf("%nlog follow, %s instance %s, %d lines, a line's way to the browser's DOM:%n", SERVICE,
                    instance.taskId(), lines);
            System.out.printf("  from the request that writes it: %s%n", Latencies.of(fromRequest).summary());
            System.out.printf("  from the line's own timestamp:   %s%n", Latencies.of(fromLine).summary());
            System.out.printf("  (a plain SSE client of the same endpoint, from the request: %s)%n", Latencies.of(toSse).summary());
            System.out.printf("load %s; stack logs kept in %s%n", TracingOverhead.load(), stack.var);
        }
    }

    /** Waits up to 10 s until the page has stamped probe {@code n}: [epoch ms, the line's text]. */
    private static List<?> awaitSeen(Chromium browser, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Object seen = browser.script("return window.__seen[arguments[0]] || null", String.valueOf(n));
            if (seen instanceof List<?> l) {
                return l;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("probe " + n + " did not reach the log view within 10 s; it shows: "
                        + browser.script("return document.getElementById('log-view').innerText.slice(-2000)"));
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Follows the same log as a plain SSE client; stamps the arrival of each probe's first line. */
    private static void sseClient(String scheduler, String token, String taskId, Map<Integer, Long> arrivals) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(scheduler + "/v1/instances/"
                            + URLEncoder.encode(taskId, StandardCharsets.UTF_8) + "/logs?stream=stdout&follow=true"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            HttpResponse<java.io.InputStream> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    long now = System.currentTimeMillis();
                    Matcher m = PROBE.matcher(line);
                    while (m.find()) {
                        arrivals.putIfAbsent(Integer.parseInt(m.group(1)), now);
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("the SSE client stopped: " + e);
        }
    }
}
