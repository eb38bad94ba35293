package io.remit.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.registry.discovery.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What must hold of a {@code ./remit local} once it has recovered from a fault, each check
 * returning the problems it finds (empty: it holds), so that a scenario can wait for them to go
 * and report the ones that stay.
 */
final class Invariants {

    private final LocalRemit remit;
    private final StackProcesses processes;

    Invariants(LocalRemit remit) {
        this.remit = remit;
        this.processes = new StackProcesses(remit.var);
    }

    /**
     * Some scheduler leads, is subscribed to Mesos, and is not reconciling: it has heard of every
     * task Mesos knows, so that its view of the services is current ({@code GET /v1/leader} on
     * the scheduler ./remit local started, then on the leader it names).
     */
    List<String> leaderSubscribed() {
        try {
            JsonNode here = LocalRemit.JSON.readTree(remit.operator("GET", "/v1/leader", null).body());
            String leader = here.path("leader").asText("");
            if (leader.isEmpty()) {
                return List.of("no scheduler leads");
            }
            JsonNode lead = here.path("isLeader").asBoolean() ? here : LocalRemit.JSON.readTree(LocalRemit.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(leader.replaceAll("/+$", "") + "/v1/leader"))
                            .timeout(java.time.Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + remit.credential("REMIT_TOKEN")).GET().build())
                    .orElseThrow(() -> new java.io.IOException("the leader " + leader + " does not answer")).body());
            if (!lead.path("isLeader").asBoolean() || !lead.path("subscribed").asBoolean() || lead.path("reconciling").asBoolean()) {
                return List.of("the leader " + leader + " is not yet subscribed and reconciled: " + lead);
            }
            return List.of();
        } catch (Exception e) {
            return List.of("the leader is unreadable: " + e);
        }
    }

    /** Every service at its desired count, healthy, and in state running. */
    List<String> servicesHealthy(List<String> services) {
        List<String> problems = new ArrayList<>();
        for (String s : services) {
            JsonNode status = remit.service(s).path("status");
            int desired = status.path("desired").asInt(-1);
            int healthy = status.path("healthy").asInt(-1);
            String state = status.path("state").asText("?");
            if (desired < 0 || healthy != desired || !state.equals("running")) {
                problems.add(s + ": " + healthy + "/" + desired + " healthy, state " + state);
            }
        }
        return problems;
    }

    /** The healthy instances the scheduler shows, by service: task ids. */
    Map<String, Set<String>> healthyTasks(List<String> services) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String s : services) {
            Set<String> ids = new TreeSet<>();
            try {
                JsonNode list = LocalRemit.JSON.readTree(remit.operator("GET", "/v1/services/" + s + "/instances", null).body());
                list.forEach(i -> {
                    if (i.path("healthy").asBoolean()) {
                        ids.add(i.path("taskId").asText());
                    }
                });
            } catch (Exception e) {
                ids.add("(unreadable: " + e + ")");
            }
            out.put(s, ids);
        }
        return out;
    }

    /** The discovery records in etcd are exactly the healthy instances. */
    List<String> discoveryMatchesHealthy(List<String> services) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> healthy = healthyTasks(services);
        for (String s : services) {
            Set<String> records = new TreeSet<>();
            for (Instance i : remit.instances(s)) {
                records.add(i.taskId());
            }
            if (!records.equals(healthy.get(s))) {
                problems.add(s + ": discovery records " + records + " but healthy instances " + healthy.get(s));
            }
        }
        return problems;
    }

    /**
     * The Mesos master runs exactly the scheduler's active instances, each TASK_RUNNING: after a
     * fault, Mesos and Remit agree on what runs (a master that lost its tasks, or still runs one
     * Remit gave up, breaks this).
     */
    List<String> masterAgrees(List<String> services) {
        Set<String> active;
        try {
            active = activeTasks(services);
        } catch (Exception e) {
            return List.of("the scheduler's instances are unreadable: " + e);
        }
        JsonNode state;
        try {
            state = LocalRemit.JSON.readTree(LocalRemit.get("http://127.0.0.1:" + remit.masterPort + "/state")
                    .filter(r -> r.statusCode() == 200).orElseThrow().body());
        } catch (Exception e) {
            return List.of("the master's /state does not answer: " + e);
        }
        Map<String, String> running = new TreeMap<>();
        state.path("frameworks").forEach(f -> f.path("tasks").forEach(t -> {
            String id = t.path("id").asText();
            if (services.stream().anyMatch(s -> id.startsWith(s + "."))) {
                running.put(id, t.path("state").asText());
            }
        }));
        List<String> problems = new ArrayList<>();
        for (String id : active) {
            if (!"TASK_RUNNING".equals(running.get(id))) {
                problems.add("the master has " + id + " as " + running.getOrDefault(id, "unknown"));
            }
        }
        running.keySet().stream().filter(id -> !active.contains(id))
                .forEach(id -> problems.add("the master runs " + id + " (" + running.get(id) + "), which the scheduler does not"));
        return problems;
    }

    /** The task ids of every instance the scheduler has of {@code services}, whatever their state. */
    private Set<String> activeTasks(List<String> services) throws Exception {
        Set<String> active = new TreeSet<>();
        for (String s : services) {
            LocalRemit.JSON.readTree(remit.operator("GET", "/v1/services/" + s + "/instances", null).body())
                    .forEach(i -> active.add(i.path("taskId").asText()));
        }
        return active;
    }

    /** No process runs in a sandbox whose task is not an active instance of a service. */
    List<String> noOrphans(List<String> services) {
        Set<String> active;
        try {
            active = activeTasks(services);
        } catch (Exception e) {
            return List.of("the scheduler's instances are unreadable: " + e);
        }
        List<String> problems = new ArrayList<>();
        processes.inSandboxes().forEach(p -> {
            String task = processes.taskOf(p).orElse("?");
            if (!active.contains(task)) {
                problems.add("pid " + p.pid() + " of task " + task + " still runs: " + StackProcesses.commandLine(p));
            }
        });
        return problems;
    }

    /**
     * What the database holds of one traffic's payments: {@code lost} counts the keys answered
     * 201 whose payment is not stored (or stored under another id), {@code duplicated} the keys
     * that made more than one payment, and {@code problems} names each, with every key left in
     * flight and any failure to read the database.
     */
    record PaymentCheck(int lost, int duplicated, List<String> problems) {}

    /**
     * Every acknowledged payment is stored exactly once with the id it was answered with; no key
     * made two payments; no key of this traffic is left in flight.
     */
    List<String> paymentsIntact(PaymentTraffic traffic) {
        return checkPayments(traffic).problems();
    }

    PaymentCheck checkPayments(PaymentTraffic traffic) {
        List<String> problems = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        try (Connection db = remit.database()) {
            try (PreparedStatement q = db.prepareStatement("SELECT id::text, reference FROM payments WHERE payer_id = ?")) {
                q.setString(1, traffic.payer());
                Map<String, List<String>> byKey = new TreeMap<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        byKey.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(1));
                    }
                }
                for (PaymentTraffic.Ack ack : traffic.acks()) {
                    List<String> rows = byKey.getOrDefault(ack.key(), List.of());
                    if (!rows.contains(ack.paymentId())) {
                        lost++;
                    }
                    if (!rows.equals(List.of(ack.paymentId()))) {
                        problems.add("key " + ack.key() + " answered 201 with payment " + ack.paymentId()
                                + " but the database holds " + rows);
                    }
                }
                for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
                    if (e.getValue().size() > 1) {
                        duplicated++;
                        problems.add("key " + e.getKey() + " made " + e.getValue().size() + " payments: " + e.getValue());
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT idempotency_key FROM idempotency_keys WHERE client_id = ? AND state = 'IN_FLIGHT'")) {
                q.setString(1, traffic.payer());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        problems.add("key " + rs.getString(1) + " is left IN_FLIGHT");
                    }
                }
            }
        } catch (SQLException e) {
            problems.add("the payments database could not be read: " + e.getMessage());
        }
        return new PaymentCheck(lost, duplicated, problems);
    }
}
