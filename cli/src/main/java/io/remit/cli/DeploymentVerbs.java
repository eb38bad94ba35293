package io.remit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code deployments [SVC]}, {@code watch ID}, {@code pause|resume|abort ID}, {@code release FILE.yml},
 * {@code releases}. {@code watch} follows a deployment or a release until it ends: exit 0 when
 * it went out, 1 with the reason when it was rolled back, failed or aborted.
 */
final class DeploymentVerbs {

    /** How often {@code watch} asks. */
    static final long POLL_MILLIS = 1000;
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "rolled-back", "aborted");

    private DeploymentVerbs() {
    }

    static int deployments(Args args, Api api, PrintStream out) {
        List<String> p = args.take(0, 1, "deployments [SVC]");
        Api.Answer a = api.get("/v1/deployments" + (p.isEmpty() ? "" : "?service=" + Api.segment(p.get(0))));
        if (args.json()) {
            out.println(a.body());
            return 0;
        }
        Table t = new Table("DEPLOYMENT", "SERVICE", "STRATEGY", "VERSIONS", "STATE", "STEP", "REASON");
        for (JsonNode d : a.json()) {
            t.row(d.path("id").asText(), d.path("service").asText(), d.path("strategy").asText(),
                    d.path("from").path("version").asText("?") + " -> " + d.path("to").path("version").asText(),
                    d.path("state").asText(), d.path("currentStep").asInt() + "/" + d.path("steps").size(),
                    d.path("reason").asText(""));
        }
        out.print(t.size() == 0 ? "no deployments\n" : t.toString());
        return 0;
    }

    static int releases(Args args, Api api, PrintStream out) {
        args.take(0, 0, "releases");
        Api.Answer a = api.get("/v1/releases");
        if (args.json()) {
            out.println(a.body());
            return 0;
        }
        Table t = new Table("RELEASE", "STATE", "CHANGES", "MESSAGE", "REASON");
        for (JsonNode r : a.json()) {
            StringBuilder changes = new StringBuilder();
            for (JsonNode c : r.path("changes")) {
                changes.append(changes.length() == 0 ? "" : ", ").append(c.path("service").asText()).append(' ')
                        .append(c.path("version").asText()).append(" (").append(c.path("step").asText()).append(')');
            }
            t.row(r.path("id").asText(), r.path("state").asText(), changes, r.path("message").asText(""), r.path("reason").asText(""));
        }
        out.print(t.size() == 0 ? "no releases\n" : t.toString());
        return 0;
    }

    static int pause(Args args, Api api, PrintStream out) {
        return act(args, api, out, "pause");
    }

    static int resume(Args args, Api api, PrintStream out) {
        return act(args, api, out, "resume");
    }

    static int abort(Args args, Api api, PrintStream out) {
        return act(args, api, out, "abort");
    }

    private static int act(Args args, Api api, PrintStream out, String verb) {
        String id = args.take(1, 1, verb + " ID").get(0);
        Api.Answer a = api.write("POST", "/v1/deployments/" + Api.segment(id) + "/" + verb, "{}", null);
        JsonNode d = a.json();
        out.println(args.json() ? a.body() : id + ": " + d.path("state").asText() + " (" + d.path("reason").asText("") + ")");
        return 0;
    }

    /** Sends a release file ({message, services: [spec, ...]}, YAML or JSON). */
    static int release(Args args, Api api, PrintStream out) {
        Path file = Path.of(args.take(1, 1, "release FILE.yml [-m MESSAGE]").get(0));
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        boolean json = text.strip().startsWith("{");
        Map<String, String> headers = new HashMap<>(Api.messageHeader(args.message()));
        headers.put("Accept", "application/json");
        Api.Answer a = api.send("POST", "/v1/releases", json ? "application/json" : "application/yaml", text, headers);
        if (args.json()) {
            out.println(a.body());
            return 0;
        }
        JsonNode r = a.json();
        StringBuilder order = new StringBuilder();
        for (JsonNode c : r.path("changes")) {
            order.append(order.length() == 0 ? "" : ", then ").append(c.path("service").asText()).append(' ')
                    .append(c.path("version").asText());
        }
        out.println(r.path("id").asText() + ": " + order + "; follow it with ./remit watch " + r.path("id").asText());
        return 0;
    }

    /** Follows a deployment (or a release, id {@code rel-...}) until it ends, printing each change of it. */
    static int watch(Args args, Api api, PrintStream out) {
        String id = args.take(1, 1, "watch ID").get(0);
        boolean release = id.startsWith("rel-");
        String path = (release ? "/v1/releases/" : "/v1/deployments/") + Api.segment(id);
        String last = null;
        while (true) {
            JsonNode d = api.get(path).json();
            String state = d.path("state").asText();
            String line = release ? releaseLine(d) : state + " · step " + d.path("currentStep").asInt() + " of "
                    + d.path("steps").size() + " · " + d.path("reason").asText("");
            if (!line.equals(last)) {
                out.println(RevisionVerbs.when(java.time.Instant.now().toString()) + "  " + line);
                out.flush();
                last = line;
            }
            if (ENDED.contains(state)) {
                if (state.equals("succeeded")) {
                    return 0;
                }
                throw new CliException(CliException.FAILED, id + " " + state + ": " + d.path("reason").asText(""));
            }
            LockSupport.parkNanos(POLL_MILLIS * 1_000_000L);
        }
    }

    private static String releaseLine(JsonNode r) {
        StringBuilder b = new StringBuilder(r.path("state").asText()).append(" · ");
        for (JsonNode c : r.path("changes")) {
            b.append(c.path("service").asText()).append(' ').append(c.path("version").asText()).append(": ")
                    .append(c.path("step").asText()).append("; ");
        }
        return b.append(r.path("reason").asText("")).toString();
    }
}
