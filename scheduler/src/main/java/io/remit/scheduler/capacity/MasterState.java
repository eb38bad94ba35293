package io.remit.scheduler.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.scheduler.placement.PortRange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents of the cluster, read from the Mesos master's {@code GET /master/slaves} (the same on
 * real Mesos and on localcluster): each agent's {@code resources}, {@code used_resources} and
 * attributes. Not {@code /state}, which also lists every task: with 2,000 tasks it took a second
 * to produce and read, and made the dashboard wait. Answers are cached for a moment, so a dashboard refreshing often costs the master
 * little.
 */
public final class MasterState {

    private final List<String> masters;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration cacheFor;
    private List<AgentCapacity> cached;
    private Instant cachedAt = Instant.EPOCH;

    public MasterState(List<String> masters, ObjectMapper json, Clock clock, Duration cacheFor) {
        this.masters = List.copyOf(masters);
        this.json = json;
        this.clock = clock;
        this.cacheFor = cacheFor;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** The agents now; throws {@link IOException} when no master answers. */
    public synchronized List<AgentCapacity> agents() throws IOException {
        Instant now = clock.instant();
        if (cached != null && Duration.between(cachedAt, now).compareTo(cacheFor) < 0) {
            return cached;
        }
        IOException last = null;
        for (String master : masters) {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(strip(master) + "/master/slaves"))
                        .timeout(Duration.ofSeconds(5)).header("Accept", "application/json").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    last = new IOException(master + "/master/slaves answered " + r.statusCode());
                    continue;
                }
                cached = parse(json.readTree(r.body()));
                cachedAt = now;
                return cached;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw last == null ? new IOException("no Mesos master configured") : last;
    }

    static List<AgentCapacity> parse(JsonNode state) {
        List<AgentCapacity> agents = new ArrayList<>();
        for (JsonNode s : state.path("slaves")) {
            if (!s.path("active").asBoolean(true)) {
                continue;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            s.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            List<PortRange> total = ranges(s.path("resources").path("ports").asText(""));
            List<PortRange> used = ranges(s.path("used_resources").path("ports").asText(""));
            agents.add(new AgentCapacity(s.path("id").asText(), s.path("hostname").asText(), attributes,
                    amounts(s.path("resources"), count(total)), amounts(s.path("used_resources"), count(used)),
                    subtract(total, used)));
        }
        return agents;
    }

    private static Amounts amounts(JsonNode r, long ports) {
        return new Amounts(Amounts.round(r.path("cpus").asDouble(0)), (long) r.path("mem").asDouble(0),
                (long) r.path("disk").asDouble(0), ports);
    }

    /** Parses Mesos's text form of ranges: {@code [31000-31999, 32100-32200]}. */
    static List<PortRange> ranges(String text) {
        List<PortRange> out = new ArrayList<>();
        String body = text.strip();
        if (body.startsWith("[")) {
            body = body.substring(1);
        }
        if (body.endsWith("]")) {
            body = body.substring(0, body.length() - 1);
        }
        for (String part : body.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            String[] ends = p.split("-");
            int begin = Integer.parseInt(ends[0].strip());
            int end = ends.length > 1 ? Integer.parseInt(ends[1].strip()) : begin;
            out.add(new PortRange(begin, end));
        }
        return out;
    }

    static long count(List<PortRange> ranges) {
        long n = 0;
        for (PortRange r : ranges) {
            n += r.end() - r.begin() + 1L;
        }
        return n;
    }

    /** The ports of {@code total} not in {@code used}. */
    static List<PortRange> subtract(List<PortRange> total, List<PortRange> used) {
        List<PortRange> out = new ArrayList<>();
        for (PortRange t : total) {
            int from = t.begin();
            List<PortRange> overlapping = used.stream().filter(u -> u.end() >= t.begin() && u.begin() <= t.end())
                    .sorted(java.util.Comparator.comparingInt(PortRange::begin)).toList();
            for (PortRange u : overlapping) {
                if (u.begin() > from) {
                    out.add(new PortRange(from, u.begin() - 1));
                }
                from = Math.max(from, u.end() + 1);
            }
            if (from <= t.end()) {
                out.add(new PortRange(from, t.end()));
            }
        }
        return out;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
