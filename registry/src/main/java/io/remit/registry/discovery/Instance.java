package io.remit.registry.discovery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.Keys;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One live instance of a service, as its executor registers it under
 * {@code /remit/discovery/<service>/<taskId>}. Stored as JSON, e.g.
 *
 * <pre>{@code
 * {"service":"fx","taskId":"fx.7f3a","host":"10.0.0.5","ports":{"admin":31002,"http":31001},
 *  "version":"1.4.2","zone":"a","agentId":"a1b2-S0","registeredAt":"2026-11-28T10:15:30Z","weight":100}
 * }</pre>
 *
 * Unknown fields are ignored when reading, so newer writers can add fields; {@code weight} is
 * optional, and a record without it (every record written before weights existed) weighs
 * {@value #DEFAULT_WEIGHT}.
 *
 * @param service      service name (a key segment)
 * @param taskId       Mesos task id (a key segment)
 * @param host         host name or address clients connect to
 * @param ports        named ports, e.g. {@code http} and {@code admin}; each in 1..65535
 * @param version      the service version running
 * @param zone         failure zone of the agent, or {@code null} when the agent has none
 * @param agentId      Mesos agent id, or {@code null} for a process Remit does not run through
 *                     Mesos (a scheduler announcing itself)
 * @param registeredAt when the executor registered it
 * @param weight       the instance's share of its version's traffic relative to the other
 *                     instances of that version (the kit's client sends an instance of weight 20
 *                     a fifth of what one of weight 100 gets; 0 none while others can take it),
 *                     or {@code null} for {@value #DEFAULT_WEIGHT}; at least 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Instance(
        String service,
        String taskId,
        String host,
        Map<String, Integer> ports,
        String version,
        String zone,
        String agentId,
        Instant registeredAt,
        Integer weight) {

    /** The weight of an instance whose record names none. */
    public static final int DEFAULT_WEIGHT = 100;

    @com.fasterxml.jackson.annotation.JsonCreator
    public Instance {
        Keys.segment("service", service);
        Keys.segment("taskId", taskId);
        require("host", host);
        require("version", version);
        if (agentId != null && agentId.isBlank()) {
            throw new IllegalArgumentException("agentId must not be blank");
        }
        if (registeredAt == null) {
            throw new IllegalArgumentException("registeredAt is required");
        }
        if (weight != null && weight < 0) {
            throw new IllegalArgumentException("weight must be at least 0: " + weight);
        }
        TreeMap<String, Integer> sorted = new TreeMap<>();
        if (ports != null) {
            ports.forEach((name, port) -> {
                if (name == null || name.isBlank() || port == null || port < 1 || port > 65535) {
                    throw new IllegalArgumentException("ports: '" + name + "' -> " + port
                            + " is not a named port in 1..65535");
                }
                sorted.put(name, port);
            });
        }
        ports = Collections.unmodifiableSortedMap(sorted);
    }

    /** An instance without a weight of its own (it weighs {@value #DEFAULT_WEIGHT}). */
    public Instance(String service, String taskId, String host, Map<String, Integer> ports, String version, String zone,
                    String agentId, Instant registeredAt) {
        this(service, taskId, host, ports, version, zone, agentId, registeredAt, null);
    }

    /** The weight the kit's client routes by: {@link #weight()}, or {@value #DEFAULT_WEIGHT} when none is given. */
    public int effectiveWeight() {
        return weight == null ? DEFAULT_WEIGHT : weight;
    }

    /** This record registered at {@code at}. */
    public Instance withRegisteredAt(Instant at) {
        return new Instance(service, taskId, host, ports, version, zone, agentId, at, weight);
    }

    /** The port named {@code name}, e.g. {@code http}. */
    public Optional<Integer> port(String name) {
        return Optional.ofNullable(ports.get(name));
    }

    /** Reads an instance as stored in etcd; a malformed document or an invalid instance throws. */
    public static Instance fromJson(byte[] json) throws java.io.IOException {
        return Json.instance(json);
    }

    /** The etcd key of this instance. */
    public String key() {
        return Keys.discovery(service, taskId);
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
