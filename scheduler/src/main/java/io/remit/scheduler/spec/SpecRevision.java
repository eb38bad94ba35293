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
        try {
            byte[] canonical = JSON.writeValueAsBytes(SpecJson.tree(spec, false));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: SHA-256 is always present", e);
        }
    }
}
