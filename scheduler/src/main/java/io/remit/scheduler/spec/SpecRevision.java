package io.remit.scheduler.spec;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A fingerprint of what an instance is started from: SHA-256 over the canonical JSON of every
 * spec field except {@code instances}, first 16 hex digits. Scaling does not change it; any
 * other change (version, config, artifacts, resources, env, constraints, labels, ...) does and
 * makes the planner replace running instances one at a time.
 */
public final class SpecRevision {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpecRevision() {}

    public static String of(ServiceSpec spec) {
        return hash(SpecJson.tree(spec, false));
    }

    /**
     * A fingerprint of every field but {@code instances}: what makes a spec change a new
     * revision in the history (a change of {@code signals} or {@code deployment} is recorded,
     * though it restarts nothing).
     */
    public static String ofSettings(ServiceSpec spec) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = SpecJson.tree(spec, true);
        tree.remove("instances");
        return hash(tree);
    }

    private static String hash(com.fasterxml.jackson.databind.JsonNode tree) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(tree);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: SHA-256 is always present", e);
        }
    }
}
