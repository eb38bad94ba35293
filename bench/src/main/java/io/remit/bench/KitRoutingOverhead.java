package io.remit.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.kit.client.Call;
import io.remit.kit.client.DependencySettings;
import io.remit.kit.client.Endpoints;
import io.remit.kit.client.Reply;
import io.remit.kit.client.ServiceClient;
import io.remit.kit.routing.RoutingRules;
import io.remit.kit.trace.Spans;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.TrafficRules;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.testkit.EtcdServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What routing by version adds to a call of the kit's client (issue 10, A/B by version): the same
 * GET of a small JSON answer through three {@link ServiceClient}s of one dependency that runs two
 * versions (one Jetty server each, discovered in a real etcd, the routing records watched there):
 *
 * <ul>
 *   <li><b>today</b>: no traffic split, no experiment: routed as before routing existed;</li>
 *   <li><b>split</b>: a traffic split giving version 2 {@code share}% and version 1 the rest: a
 *       version drawn per call, then an instance of it;</li>
 *   <li><b>experiment</b>: an experiment at {@code share}% naming the dependency, each call with a
 *       payer's cohort key ({@code Call.withCohort}, 1,000 payers in turn): the arm's version by
 *       hash, and the key sent on in {@code X-Remit-Cohort}.</li>
 * </ul>
 *
 * With {@code share} 50 (the default) the three spread their calls over the two servers alike, so
 * only the routing differs; with 10, nine calls in ten of the routed clients go to one server,
 * whose warmer connection and threads then make them a little faster than today's.
 *
 * The three alternate call by call, in a rotating order, one at a time, so all see the same
 * machine; the figure is each one's p50 against today's.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.KitRoutingOverhead [calls] [share]</pre>
 */
public final class KitRoutingOverhead {

    private KitRoutingOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int share = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        byte[] answer = "{\"id\":\"q1\",\"rate\":\"0.7853\",\"source\":{\"amount\":1591749,\"currency\":\"USD\"}}"
                .getBytes(StandardCharsets.UTF_8);
        org.eclipse.jetty.server.Server one = server(answer);
        org.eclipse.jetty.server.Server two = server(answer);
        try (EtcdServer etcdServer = EtcdServer.start();
             Etcd etcd = Etcd.connect(EtcdSettings.of(etcdServer.endpoint()));
             EtcdRegistry registry = new EtcdRegistry(etcd);
             DiscoveryCache cache = new DiscoveryCache(etcd, "fx").start();
             TrafficRules rules = new TrafficRules(etcd).start()) {
            registry.register(new Instance("fx", "fx.1", "127.0.0.1", Map.of("http", port(one)), "1", null, "agent",
                    Instant.now()), Duration.ofSeconds(60));
            registry.register(new Instance("fx", "fx.2", "127.0.0.1", Map.of("http", port(two)), "2", null, "agent",
                    Instant.now()), Duration.ofSeconds(60));
            KeyValues kv = new KeyValues(etcd);
            kv.put(Keys.traffic("fx-split"), "{\"versions\": {\"1\": " + (100 - share) + ", \"2\": " + share + "}}");
            kv.put(Keys.experiment("bench"), """
                    {"split": %d, "cohort": {"header": "X-Remit-Cohort"},
                     "versions": {"fx-ab": {"control": "1", "treatment": "2"}}}""".formatted(share));
            cache.awaitReady(Duration.ofSeconds(10));
            rules.awaitReady(Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (cache.instances().size() < 2 || rules.splits().isEmpty() || rules.experiments().isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("discovery or the routing records did not arrive from etcd");
                }
                Thread.onSpinWait();
            }
            ObjectMapper json = new ObjectMapper();
            Endpoints endpoints = Endpoints.discovered(cache, "http");
            RoutingRules routing = RoutingRules.of(rules);
            // Spans made but not reported, as the kit's client does without Zipkin.
            ServiceClient today = new ServiceClient("fx", new DependencySettings(), endpoints, json, new MetricRegistry(),
                    Spans.local("today").tracer(), routing);
            ServiceClient split = new ServiceClient("fx-split", new DependencySettings(), endpoints, json, new MetricRegistry(),
                    Spans.local("split").tracer(), routing);
            ServiceClient ab = new ServiceClient("fx-ab", new DependencySettings(), endpoints, json, new MetricRegistry(),
                    Spans.local("ab").tracer(), routing);
            String[] payers = new String[1_000];
            for (int i = 0; i < payers.length; i++) {
                payers[i] = "payer-" + i;
            }

            int warmup = Math.min(5_000, calls / 2);
            for (int i = 0; i < warmup; i++) {
                today.call(Call.get("/quotes/q1"), Map.class);
                split.call(Call.get("/quotes/q1"), Map.class);
                ab.call(Call.get("/quotes/q1").withCohort(payers[i % payers.length]), Map.class);
            }
            List<Double> a = new ArrayList<>(calls);
            List<Double> b = new ArrayList<>(calls);
            List<Double> c = new ArrayList<>(calls);
            int[] toVersion2 = new int[2];
            for (int i = 0; i < calls; i++) {
                for (int k = 0; k < 3; k++) {
                    int which = (i + k) % 3;
                    long t0 = System.nanoTime();
                    Reply reply = switch (which) {
                        case 0 -> today.send(Call.get("/quotes/q1"));
                        case 1 -> split.send(Call.get("/quotes/q1"));
                        default -> ab.send(Call.get("/quotes/q1").withCohort(payers[i % payers.length]));
                    };
                    json.readValue(reply.body(), Map.class);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    (which == 0 ? a : which == 1 ? b : c).add(ms);
                    if (which > 0 && reply.instance().endsWith(":" + port(two))) {
                        toVersion2[which - 1]++;
                    }
                }
            }
            Latencies todayLat = Latencies.of(a);
            Latencies splitLat = Latencies.of(b);
            Latencies abLat = Latencies.of(c);
            System.out.println("today (no split, no experiment): " + todayLat.summary());
            System.out.println("traffic split " + (100 - share) + "/" + share + ":             " + splitLat.summary() + "; "
                    + pct(toVersion2[0], calls) + " to version 2");
            System.out.println("experiment " + share + "% + cohort key:     " + abLat.summary() + "; "
                    + pct(toVersion2[1], calls) + " to version 2");
            System.out.printf("split against today: %+.1f%% at p50 (%+.3f ms), %+.1f%% at p99%n",
                    100 * (splitLat.median() / todayLat.median() - 1), splitLat.median() - todayLat.median(),
                    100 * (splitLat.percentile(99) / todayLat.percentile(99) - 1));
            System.out.printf("experiment against today: %+.1f%% at p50 (%+.3f ms), %+.1f%% at p99%n",
                    100 * (abLat.median() / todayLat.median() - 1), abLat.median() - todayLat.median(),
                    100 * (abLat.percentile(99) / todayLat.percentile(99) - 1));
        } finally {
            one.stop();
            two.stop();
        }
    }

    private static String pct(int n, int of) {
        return String.format("%.1f%%", 100.0 * n / of);
    }

    /** Jetty (as in every Dropwizard service) answering {@code body} from memory. */
    static org.eclipse.jetty.server.Server server(byte[] body) throws Exception {
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, java.nio.ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    static int port(org.eclipse.jetty.server.Server server) {
        return ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
