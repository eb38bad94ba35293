package io.remit.kit.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Recorded responses of one dependency, one JSON file per distinct request in a folder, named by
 * a hash of the method, the path with its query and the canonical JSON body (object keys sorted,
 * so key order does not matter). Files are readable and may be edited by hand:
 *
 * <pre>{@code
 * {"request": {"method": "POST", "path": "/quotes", "body": {...}},
 *  "response": {"status": 201, "contentType": "application/json", "body": {...}}}
 * }</pre>
 */
public final class MockStore {

    private final Path dir;
    private final ObjectMapper json;
    private final ObjectMapper canonical;

    public MockStore(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.json = json;
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    public Path dir() {
        return dir;
    }

    /** The file that holds the recording of this request. */
    public Path fileFor(String method, String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(canonicalBody(body));
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 20);
            String readable = (method + path).replaceAll("[^A-Za-z0-9]+", "-");
            if (readable.length() > 60) {
                readable = readable.substring(0, 60);
            }
            return dir.resolve(readable + "-" + hash + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Saves a response; a later recording of the same request replaces it. Atomic per file. */
    public void record(String method, String path, byte[] body, Reply reply) {
        try {
            Files.createDirectories(dir);
            var root = json.createObjectNode();
            var request = root.putObject("request").put("method", method).put("path", path);
            request.set("body", parseOrText(body));
            var response = root.putObject("response").put("status", reply.status())
                    .put("contentType", reply.contentType());
            response.set("body", parseOrText(reply.body()));
            Path file = fileFor(method, path, body);
            Path tmp = Files.createTempFile(dir, ".recording", ".tmp");
            Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record into " + dir, e);
        }
    }

    /** The recorded reply to this request, if there is one. */
    public Optional<Reply> replay(String method, String path, byte[] body) {
        Path file = fileFor(method, path, body);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Recording r = json.readValue(file.toFile(), Recording.class);
            JsonNode b = r.response().body();
            byte[] bytes = b == null || b.isNull() ? new byte[0]
                    : b.isTextual() ? b.asText().getBytes(StandardCharsets.UTF_8) : json.writeValueAsBytes(b);
            return Optional.of(new Reply(r.response().status(), r.response().contentType(), bytes, "mock:" + file.getFileName(), 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + file, e);
        }
    }

    private byte[] canonicalBody(byte[] body) {
        if (body == null || body.length == 0) {
            return new byte[0];
        }
        try {
            return canonical.writeValueAsBytes(json.treeToValue(json.readTree(body), Object.class));
        } catch (IOException e) {
            return body;
        }
    }

    private JsonNode parseOrText(byte[] body) {
        if (body == null || body.length == 0) {
            return json.nullNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Recording(RecordedRequest request, RecordedResponse response) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RecordedRequest(String method, String path, JsonNode body) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RecordedResponse(int status, String contentType, JsonNode body) {
    }
}
