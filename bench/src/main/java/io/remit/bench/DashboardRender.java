package io.remit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard with 200 services and 2,000 instances: how long a fresh page load in headless
 * Chromium takes until the dashboard shows every service (the UI's
 * {@code remit:dashboard-rendered} mark, measured from navigation start), and how many bytes it
 * loads (the page, its scripts and the API answers, as Chromium's resource timing counts them).
 * A scheduler process runs on localcluster's simulated agents, whose instances report healthy at
 * once.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.DashboardRender [services] [instancesEach] [loads]</pre>
 */
public final class DashboardRender {

    private DashboardRender() {
    }

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int each = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int loads = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        try (SimulatedStack stack = SimulatedStack.start("dashboard", 100, "cpus:32;mem:131072;disk:100000;ports:[31000-32000]")) {
            SchedulerProcess scheduler = stack.scheduler;
            for (int i = 0; i < services; i++) {
                String spec = """
                        {"id":"svc-%03d","version":"1.%d.0","artifacts":["{{artifacts}}/x.jar"],"instances":%d,
                         "resources":{"cpus":0.1,"memMb":64,"diskMb":0,"ports":["http","admin"]},
                         "labels":{"team":"team-%d","tier":"core"},
                         "env":{"GREETING":"hello","API_KEY":{"value":"s3cret","secret":true}},
                         "config":"server:\\n  applicationConnectors:\\n    - type: http\\n      port: {{port.http}}\\n  adminConnectors:\\n    - type: http\\n      port: {{port.admin}}\\n"}"""
                        .formatted(i, i % 7, each, i % 12);
                var r = scheduler.post("/v1/services", spec);
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("POST svc-" + i + ": " + r.statusCode() + " " + r.body());
                }
            }
            int total = services * each;
            try {
                scheduler.await("/v1/services?view=summary", list -> healthy(list) == total, Duration.ofMinutes(5));
            } catch (IllegalStateException e) {
                JsonNode list = scheduler.get("/v1/services?view=summary");
                throw new IllegalStateException("only " + healthy(list) + " of " + total + " instances became healthy");
            }
            System.out.printf("%d services, %d instances healthy on %d simulated agents%n", services, total, 100);

            for (String path : new String[] {"/v1/services?view=summary", "/v1/capacity", "/v1/services"}) {
                long t0 = System.nanoTime();
                var body = scheduler.getText(path);
                System.out.printf("GET %s: %.0f ms, %,d bytes%n", path, (System.nanoTime() - t0) / 1e6, body.length());
            }

            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            Path profile = Files.createTempDirectory("remit-bench-chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1440,960");
            ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build(), options);
            try {
                List<Double> millis = new ArrayList<>();
                double coldMillis = 0;
                long coldBytes = 0;
                long warmBytes = 0;
                Map<String, Object> coldSizes = Map.of();
                for (int load = 0; load <= loads; load++) {
                    // Load 0 is a first visit (empty cache); later loads are a returning operator's,
                    // with the page's scripts cached by the browser as usual and the API read afresh.
                    driver.get(scheduler.url() + "/ui/?visit=" + load + "#/"); // a new document each time
                    try {
                        new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(20)).until(d ->
                                ((JavascriptExecutor) d).executeScript(
                                        "return performance.getEntriesByName('remit:dashboard-rendered').length") instanceof Long n && n > 0);
                    } catch (org.openqa.selenium.TimeoutException e) {
                        throw new IllegalStateException("the dashboard did not render within 30 s; the page shows: "
                                + ((JavascriptExecutor) driver).executeScript("return document.body.innerText.slice(0, 2000)"), e);
                    }
                    double ms = ((Number) ((JavascriptExecutor) driver).executeScript(
                            "return performance.getEntriesByName('remit:dashboard-rendered')[0].startTime")).doubleValue();
                    long rows = (Long) ((JavascriptExecutor) driver).executeScript(
                            "return document.querySelectorAll('tr[data-service]').length");
                    if (rows != services) {
                        throw new IllegalStateException("the dashboard shows " + rows + " services, not " + services);
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> sizes = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript("""
                            const out = {};
                            out['(page)'] = performance.getEntriesByType('navigation')[0].transferSize;
                            for (const r of performance.getEntriesByType('resource')) {
                              if (r.name.includes('/v1/events')) continue; // the stream stays open; not part of the render
                              const u = new URL(r.name);
                              out[u.pathname + u.search] = (out[u.pathname + u.search] || 0) + r.transferSize;
                            }
                            return out;""");
                    long bytes = sizes.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
                    if (load == 0) {
                        coldMillis = ms;
                        coldBytes = bytes;
                        coldSizes = sizes;
                    } else {
                        millis.add(ms);
                        warmBytes = bytes;
                    }
                }
                Collections.sort(millis);
                System.out.printf("first visit: dashboard shown %.0f ms after navigation start; %,d bytes over the wire %s%n",
                        coldMillis, coldBytes, coldSizes);
                System.out.printf("returning (%d loads): median %.0f ms, p90 %.0f ms, max %.0f ms; %,d bytes over the wire%n",
                        loads, millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.9) - 1),
                        millis.get(millis.size() - 1), warmBytes);
            } finally {
                driver.quit();
            }
        }
    }

    private static int healthy(JsonNode list) {
        int n = 0;
        for (JsonNode s : list) {
            n += s.path("status").path("healthy").asInt();
        }
        return n;
    }
}
