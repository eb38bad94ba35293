package io.remit.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.kit.client.Call;
import io.remit.kit.client.DependencySettings;
import io.remit.kit.client.Endpoints;
import io.remit.kit.client.ServiceClient;
import io.remit.registry.discovery.DiscoveryCache;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.discovery.Instance;
import io.remit.registry.discovery.Registration;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.testkit.EtcdServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service kit's client overhead: the same GET of a small JSON answer to the same instance,
 * (a) with the plain JDK HttpClient and (b) through {@link ServiceClient}: discovery from a real
 * etcd, bulkhead, circuit breaker, load balancing, retry bookkeeping, {@code traceparent} and
 * JSON decoding into a map. Calls alternate a and b, one at a time, so both see the same machine.
 *
 * The instance is a Jetty server answering from memory, so the difference is the client's own.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.remit.bench.KitClientOverhead [calls]</pre>
 */
public final class KitClientOverhead {

    private KitClientOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        byte[] answer = "{\"id\":\"q1\",\"rate\":\"0.7853\",\"source\":{\"amount\":1591749,\"currency\":\"USD\"}}"
                .getBytes(StandardCharsets.UTF_8);
        // Jetty (as in every Dropwizard service): the JDK's HttpServer writes headers and body in
        // separate packets and meets delayed ACKs, adding 40 ms to every call of either client.
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, java.nio.ByteBuffer.wrap(answer), callback);
                return true;
            }
        });
        server.start();
        int port = ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0]).getLocalPort();
        try (EtcdServer etcdServer = EtcdServer.start();
             Etcd etcd = Etcd.connect(EtcdSettings.of(etcdServer.endpoint()));
             EtcdRegistry registry = new EtcdRegistry(etcd);
             DiscoveryCache cache = new DiscoveryCache(etcd, "fx").start()) {
            Registration reg = registry.register(new Instance("fx", "fx.1", "127.0.0.1", Map.of("http", port), "1", null,
                    "agent", Instant.now()), Duration.ofSeconds(10));
            cache.awaitReady(Duration.ofSeconds(10));
            while (cache.instances().isEmpty()) {
                Thread.onSpinWait();
            }
            ObjectMapper json = new ObjectMapper();
            ServiceClient kit = new ServiceClient("fx", new DependencySettings(), Endpoints.discovered(cache, "http"), json,
                    new MetricRegistry());
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quotes/q1"))
                    .timeout(Duration.ofSeconds(2)).header("Accept", "application/json").GET().build();

            int warmup = Math.min(5_000, calls / 2);
            for (int i = 0; i < warmup; i++) {
                plainCall(plain, request, json);
                kit.call(Call.get("/quotes/q1"), Map.class);
            }
            List<Double> a = new ArrayList<>(calls);
            List<Double> b = new ArrayList<>(calls);
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                plainCall(plain, request, json);
                long t1 = System.nanoTime();
                kit.call(Call.get("/quotes/q1"), Map.class);
                long t2 = System.nanoTime();
                a.add((t1 - t0) / 1e6);
                b.add((t2 - t1) / 1e6);
            }
            Latencies plainLat = Latencies.of(a);
            Latencies kitLat = Latencies.of(b);
            System.out.println("plain JDK HttpClient + JSON: " + plainLat.summary());
            System.out.println("kit ServiceClient:           " + kitLat.summary());
            System.out.printf("added latency at p50: %.1f%% (%.3f ms); at p99: %.1f%%%n",
                    100 * (kitLat.median() / plainLat.median() - 1), kitLat.median() - plainLat.median(),
                    100 * (kitLat.percentile(99) / plainLat.percentile(99) - 1));
            reg.deregister();
        } finally {
            server.stop();
        }
    }

    private static void plainCall(HttpClient http, HttpRequest request, ObjectMapper json) throws Exception {
        // As the kit does: asynchronous send, bounded wait (a plain send() can hang past its timeout).
        HttpResponse<byte[]> r = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .get(2, java.util.concurrent.TimeUnit.SECONDS);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode());
        }
        json.readValue(r.body(), Map.class);
    }
}
