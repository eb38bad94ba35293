package io.remit.registry.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.Keys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a service's traffic is split over its versions, stored at {@code /remit/traffic/<service>}
 * as {@code {"versions": {"1.4.2": 90, "1.5.0": 10}}}: each version's share in percent, the
 * shares summing to 100. The scheduler writes it for a canary's weight steps and a blue/green
 * switch; every kit client of the service reads it live and sends each call to a version drawn by
 * these shares, then to an instance of that version (see the kit's {@code VersionRouter}).
 * Without a record, calls go to every instance alike.
 *
 * @param service  the service whose traffic this is (the key's last segment)
 * @param versions version to share in percent, sorted by version; immutable
 */
public record TrafficSplit(String service, Map<String, Integer> versions) {

    public TrafficSplit {
        Keys.segment("service", service);
        List<String> problems = problems(versions);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("traffic split of " + service + ": " + String.join("; ", problems));
        }
        versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    }

    /** What is wrong with these shares; empty when they make a split. */
    public static List<String> problems(Map<String, Integer> versions) {
        List<String> out = new ArrayList<>();
        if (versions == null || versions.isEmpty()) {
            out.add("versions must name at least one version");
            return out;
        }
        long sum = 0;
        for (Map.Entry<String, Integer> e : versions.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                out.add("a version must not be blank");
            }
            Integer share = e.getValue();
            if (share == null || share < 0 || share > 100) {
                out.add("the share of " + e.getKey() + " must be a whole percent in 0..100: " + share);
            } else {
                sum += share;
            }
        }
        if (out.isEmpty() && sum != 100) {
            out.add("the shares must sum to 100, not " + sum);
        }
        return out;
    }

    /** The record as stored: {@code {"versions": {...}}}. */
    public byte[] toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ObjectNode shares = node.putObject("versions");
        versions.forEach(shares::put);
        return Json.write(node);
    }

    /** Reads the record stored for {@code service}; a malformed or invalid one throws. */
    public static TrafficSplit fromJson(String service, byte[] json) throws IOException {
        JsonNode node = Json.MAPPER.readTree(json);
        if (node == null || !node.isObject() || !node.path("versions").isObject()) {
            throw new IllegalArgumentException("a traffic split is {\"versions\": {\"<version>\": <percent>, ...}}");
        }
        Map<String, Integer> shares = new TreeMap<>();
        node.path("versions").fields().forEachRemaining(e -> {
            if (!e.getValue().canConvertToExactIntegral() || !e.getValue().canConvertToInt()) {
                throw new IllegalArgumentException("the share of " + e.getKey() + " must be a whole percent");
            }
            shares.put(e.getKey(), e.getValue().intValue());
        });
        return new TrafficSplit(service, shares);
    }
}
