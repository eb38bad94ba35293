package io.remit.scheduler.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files of a sandbox, read through the Mesos agent's {@code GET /files/read} (the same on a real
 * agent and on localcluster), and where each agent listens, from the master's
 * {@code GET /master/slaves}. Thread-safe; every call is blocking I/O with a 5 s timeout.
 */
public final class AgentFiles {

    /** What one {@code /files/read} answered: {@code data} starting at byte {@code offset}. */
    public record Chunk(long offset, String data) {
    }

    private final List<String> masters;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Map<String, URI> agents = Map.of();
    private Instant agentsAt = Instant.EPOCH;

    public AgentFiles(List<String> masters, ObjectMapper json, Clock clock) {
        this.masters = List.copyOf(masters);
        this.json = json;
        this.clock = clock;
    }

    /**
     * The agent's base URL (from its {@code pid}, {@code slave(1)@host:port}); asks the master
     * again when the agent is not known or the answer is older than 5 s. Empty when no master
     * lists it.
     *
     * @throws IOException when no master answers
     */
    public synchronized Optional<URI> agent(String agentId) throws IOException {
        URI known = agents.get(agentId);
        if (known != null && Duration.between(agentsAt, clock.instant()).compareTo(Duration.ofSeconds(5)) < 0) {
            return Optional.of(known);
        }
        IOException last = null;
        for (String master : masters) {
            String base = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
            try {
                HttpResponse<byte[]> r = send(URI.create(base + "/master/slaves"));
                if (r.statusCode() != 200) {
                    last = new IOException(base + "/master/slaves answered " + r.statusCode());
                    continue;
                }
                Map<String, URI> found = new HashMap<>();
                for (JsonNode s : json.readTree(r.body()).path("slaves")) {
                    found.put(s.path("id").asText(), address(s));
                }
                agents = found;
                agentsAt = clock.instant();
                return Optional.ofNullable(found.get(agentId));
            } catch (IOException e) {
                last = e;
            }
        }
        throw last == null ? new IOException("no Mesos master configured") : last;
    }

    private static URI address(JsonNode slave) {
        String pid = slave.path("pid").asText("");
        int at = pid.indexOf('@');
        if (at >= 0) {
            return URI.create("http://" + pid.substring(at + 1));
        }
        return URI.create("http://" + slave.path("hostname").asText() + ":" + slave.path("port").asInt(5051));
    }

    /**
     * Reads up to {@code length} bytes (the agent gives at most 64 KiB at a time) of {@code path}
     * from {@code offset}; empty when the file does not exist (404).
     *
     * @throws IOException when the agent cannot be reached or answers anything but 200 or 404
     */
    public Optional<Chunk> read(URI agent, String path, long offset, long length) throws IOException {
        return call(agent, path, "&offset=" + offset + "&length=" + length);
    }

    /** The file's size in bytes ({@code offset=-1}); empty when it does not exist. */
    public Optional<Long> size(URI agent, String path) throws IOException {
        return call(agent, path, "&offset=-1").map(Chunk::offset);
    }

    private Optional<Chunk> call(URI agent, String path, String range) throws IOException {
        URI uri = agent.resolve("/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8) + range);
        HttpResponse<byte[]> r = send(uri);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new IOException("the agent at " + agent + " answered " + r.statusCode() + " to /files/read: "
                    + new String(r.body(), StandardCharsets.UTF_8).strip());
        }
        JsonNode n = json.readTree(r.body());
        return Optional.of(new Chunk(n.path("offset").asLong(), n.path("data").asText("")));
    }

    private HttpResponse<byte[]> send(URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
