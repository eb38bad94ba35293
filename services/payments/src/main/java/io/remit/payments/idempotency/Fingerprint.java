package io.remit.payments.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The fingerprint of a request under an idempotency key: SHA-256 (hex) of the method, the path and
 * the canonical JSON of the body (object keys sorted at every level, no insignificant whitespace),
 * so that the same request with its keys in another order or spaced differently is the same
 * request, and any change of a value is a different one. Pure.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    public static String of(String method, String path, JsonNode body, ObjectMapper json) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(canonical(body, json).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** The body as canonical JSON text; {@code ""} for no body. */
    public static String canonical(JsonNode body, ObjectMapper json) {
        if (body == null || body.isMissingNode()) {
            return "";
        }
        return sorted(body, json).toString();
    }

    private static JsonNode sorted(JsonNode node, ObjectMapper json) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = json.createObjectNode();
            for (String name : names) {
                out.set(name, sorted(node.get(name), json));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = json.createArrayNode();
            node.forEach(e -> out.add(sorted(e, json)));
            return out;
        }
        return node;
    }
}
