package io.remit.localcluster.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.localcluster.store.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * The master's registry in its work dir ({@code master/registry.json}), the counterpart of the
 * replicated log a Mesos master keeps: the master's id, the ids it gave its agents (by their
 * place in the cluster, so that a restarted localcluster brings each agent back under its old
 * id), and every framework it knows, with its info and whether it was removed, so that a
 * framework failing over with its old id after a restart is recognised and a removed one is
 * still refused, and the agents the operator marked gone. Tasks are not kept here: as in
 * Mesos, the agents bring them back.
 *
 * <p>Thread-safe; every change is written through at once.
 */
public final class Registry {

    /** A framework as registered: its info and when it first registered (epoch ms). */
    public record Framework(FrameworkInfo info, long registeredAtMillis, boolean removed) {
    }

    private final Path file;
    private String masterId;
    private long nextFramework;
    private long nextAgent;
    private long starts;
    private final List<String> agents = new ArrayList<>();
    /** Agents the operator marked gone (MARK_AGENT_GONE): never registered again. */
    private final java.util.Set<String> gone = new java.util.LinkedHashSet<>();
    private final Map<String, Framework> frameworks = new LinkedHashMap<>();

    private Registry(Path file) {
        this.file = file;
    }

    /** The registry under {@code workDir}, read back if a previous run left one. */
    public static Registry open(Path workDir) throws IOException {
        Registry r = new Registry(workDir.resolve("master").resolve("registry.json"));
        JsonNode node = Checkpoints.read(r.file).orElse(null);
        if (node != null) {
            r.masterId = node.path("master_id").asText(null);
            r.nextFramework = node.path("next_framework").asLong();
            r.nextAgent = node.path("next_agent").asLong();
            r.starts = node.path("starts").asLong();
            node.path("agents").forEach(a -> r.agents.add(a.asText()));
            node.path("gone_agents").forEach(a -> r.gone.add(a.asText()));
            for (JsonNode f : node.path("frameworks")) {
                FrameworkInfo info = Checkpoints.proto(f.path("info"), FrameworkInfo.newBuilder());
                r.frameworks.put(info.getId().getValue(),
                        new Framework(info, f.path("registered_time").asLong(), f.path("removed").asBoolean()));
            }
        }
        return r;
    }

    public synchronized String masterId() {
        return masterId;
    }

    /** Records the master's id and counts a start; returns how many starts came before this one. */
    public synchronized long started(String id) {
        masterId = id;
        long before = starts++;
        save();
        return before;
    }

    /**
     * The ids of the first {@code count} agents: those the registry gave in an earlier run, and
     * new ones ({@code <masterId>-S<n>}) for the rest, written through in one go.
     */
    public synchronized List<String> agents(int count) {
        boolean added = false;
        while (agents.size() < count) {
            agents.add(null);
        }
        for (int i = 0; i < count; i++) {
            if (agents.get(i) == null) {
                agents.set(i, masterId + "-S" + nextAgent++);
                added = true;
            }
        }
        if (added) {
            save();
        }
        return new ArrayList<>(agents.subList(0, count));
    }

    /**
     * Records that agent {@code id} is gone for good, written through before the caller acts on
     * it. Its place in the cluster gets a new id, so that a localcluster started again on this
     * work dir brings up a fresh agent there, as an operator replacing a machine would (a real
     * agent coming back under a gone id is refused and shut down).
     */
    synchronized void markGone(String id) {
        gone.add(id);
        int place = agents.indexOf(id);
        if (place >= 0) {
            agents.set(place, masterId + "-S" + nextAgent++);
        }
        save();
    }

    public synchronized boolean isGone(String id) {
        return gone.contains(id);
    }

    synchronized long takeFrameworkNumber() {
        long n = nextFramework++;
        save();
        return n;
    }

    synchronized List<Framework> frameworks() {
        return new ArrayList<>(frameworks.values());
    }

    synchronized void framework(FrameworkInfo info, long registeredAtMillis, boolean removed) {
        frameworks.put(info.getId().getValue(), new Framework(info, registeredAtMillis, removed));
        if (removed) {
            // Keep the removed ones a real master would still show, but not without end.
            long removedCount = frameworks.values().stream().filter(Framework::removed).count();
            var it = frameworks.values().iterator();
            while (removedCount > 1000 && it.hasNext()) {
                if (it.next().removed()) {
                    it.remove();
                    removedCount--;
                }
            }
        }
        save();
    }

    private void save() {
        ObjectNode root = Checkpoints.JSON.createObjectNode();
        root.put("master_id", masterId);
        root.put("next_framework", nextFramework);
        root.put("next_agent", nextAgent);
        root.put("starts", starts);
        ArrayNode a = root.putArray("agents");
        agents.forEach(a::add);
        ArrayNode g = root.putArray("gone_agents");
        gone.forEach(g::add);
        ArrayNode fs = root.putArray("frameworks");
        for (Framework f : frameworks.values()) {
            ObjectNode n = fs.addObject();
            n.set("info", Checkpoints.proto(f.info()));
            n.put("registered_time", f.registeredAtMillis());
            n.put("removed", f.removed());
        }
        try {
            Checkpoints.write(file, root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the master's registry " + file, e);
        }
    }
}
