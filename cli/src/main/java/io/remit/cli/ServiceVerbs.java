package io.remit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code services}, {@code status SVC}, {@code deploy FILE}, {@code scale SVC N}, {@code restart SVC}. */
final class ServiceVerbs {

    private ServiceVerbs() {
    }

    static int services(Args args, Api api, PrintStream out) {
        args.take(0, 0, "services");
        Api.Answer a = api.get("/v1/services?view=summary");
        if (args.json()) {
            out.println(a.body());
            return 0;
        }
        Table t = new Table("SERVICE", "VERSION", "STATE", "HEALTHY", "WAITING");
        for (JsonNode s : a.json()) {
            JsonNode st = s.path("status");
            t.row(s.path("id").asText(), s.path("spec").path("version").asText(), st.path("state").asText(),
                    st.path("healthy").asInt() + "/" + st.path("desired").asInt(), st.path("waiting").asText(""));
        }
        out.print(t.size() == 0 ? "no services\n" : t.toString());
        return 0;
    }

    static int status(Args args, Api api, PrintStream out) {
        String id = args.take(1, 1, "status SVC").get(0);
        JsonNode svc = api.get("/v1/services/" + Api.segment(id)).json();
        JsonNode instances = api.get("/v1/services/" + Api.segment(id) + "/instances").json();
        JsonNode revisions = revisionsOrNull(api, id);
        if (args.json()) {
            var all = JsonNodeFactory.instance.objectNode();
            all.set("service", svc);
            all.set("instances", instances);
            all.set("revisions", revisions);
            out.println(all);
            return 0;
        }
        JsonNode st = svc.path("status");
        out.println(id + "  " + st.path("state").asText() + "  " + st.path("healthy").asInt() + "/"
                + st.path("desired").asInt() + " healthy, " + st.path("active").asInt() + " active");
        out.println("version   " + svc.path("spec").path("version").asText());
        if (revisions != null && revisions.path("revisions").size() > 0) {
            JsonNode r = revisions.path("revisions").get(0);
            out.println("revision  " + r.path("revision").asLong() + " by " + r.path("who").asText() + " at "
                    + RevisionVerbs.when(r.path("at").asText()) + message(r));
        }
        if (st.hasNonNull("waiting")) {
            out.println("waiting   " + st.path("waiting").asText());
        }
        if (st.path("recentFailures").asInt() > 0) {
            out.println("failures  " + st.path("recentFailures").asInt() + " recent; last: " + st.path("lastFailure").asText("-"));
        }
        Table t = new Table("INSTANCE", "STATE", "VERSION", "HOST", "PORTS");
        for (JsonNode i : instances) {
            StringBuilder ports = new StringBuilder();
            i.path("ports").fields().forEachRemaining(p -> ports.append(ports.isEmpty() ? "" : " ")
                    .append(p.getKey()).append(':').append(p.getValue().asText()));
            t.row(i.path("taskId").asText(), i.path("state").asText(), i.path("version").asText(),
                    i.path("hostname").asText("-"), ports);
        }
        out.println();
        out.print(t.size() == 0 ? "no instances\n" : t.toString());
        return 0;
    }

    /**
     * PUTs the spec in {@code FILE} (YAML or JSON) to {@code /v1/services/<its id>}: creates the
     * service or changes it; a change of anything but {@code instances} is a new revision.
     */
    static int deploy(Args args, Api api, PrintStream out) {
        Path file = Path.of(args.take(1, 1, "deploy FILE.yml [-m MESSAGE]").get(0));
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        String id;
        try {
            JsonNode tree = new YAMLMapper().readTree(text);   // YAML reads JSON too
            id = tree == null ? "" : tree.path("id").asText("");
        } catch (JsonProcessingException e) {
            throw CliException.usage(file + " is not a YAML or JSON spec: " + e.getOriginalMessage());
        }
        if (id.isBlank()) {
            throw CliException.usage(file + " names no service: it has no id");
        }
        boolean json = text.strip().startsWith("{");
        Map<String, String> headers = new HashMap<>(Api.messageHeader(args.message()));
        headers.put("Accept", "application/json");
        Api.Answer a = api.send("PUT", "/v1/services/" + Api.segment(id), json ? "application/json" : "application/yaml",
                text, headers);
        if (args.json()) {
            out.println(a.body());
            return 0;
        }
        JsonNode spec = a.json();
        String revision = a.header("X-Remit-Revision").orElse(null);
        int instances = spec.path("instances").asInt();
        if (a.status() == 201) {
            out.println(id + ": created as revision " + revision + " (version " + spec.path("version").asText() + "); starting "
                    + instances + " instance" + (instances == 1 ? "" : "s"));
        } else if (revision != null) {
            String strategy = spec.path("deployment").path("strategy").asText("rolling");
            out.println(id + ": revision " + revision + " (version " + spec.path("version").asText()
                    + "); replacing its instances (" + strategy + "): ./remit deployments " + id);
        } else {
            out.println(id + ": no new revision (nothing but instances changed, if anything); " + instances + " instance"
                    + (instances == 1 ? "" : "s"));
        }
        return 0;
    }

    static int scale(Args args, Api api, PrintStream out) {
        var p = args.take(2, 2, "scale SVC N");
        int n;
        try {
            n = Integer.parseInt(p.get(1));
        } catch (NumberFormatException e) {
            throw CliException.usage("N must be a whole number of instances, got '" + p.get(1) + "'");
        }
        Api.Answer a = api.write("POST", "/v1/services/" + Api.segment(p.get(0)) + "/scale",
                JsonNodeFactory.instance.objectNode().put("instances", n).toString(), null);
        out.println(args.json() ? a.body() : a.json().path("message").asText());
        return 0;
    }

    static int restart(Args args, Api api, PrintStream out) {
        String id = args.take(1, 1, "restart SVC").get(0);
        Api.Answer a = api.write("POST", "/v1/services/" + Api.segment(id) + "/restart", null, null);
        out.println(args.json() ? a.body() : a.json().path("message").asText());
        return 0;
    }

    /** The service's revisions, or null when it has none yet (stored before revisions were kept). */
    private static JsonNode revisionsOrNull(Api api, String id) {
        try {
            return api.get("/v1/services/" + Api.segment(id) + "/revisions").json();
        } catch (CliException e) {
            return null;
        }
    }

    private static String message(JsonNode r) {
        String m = r.path("message").asText("");
        return m.isEmpty() ? "" : ": " + m;
    }
}
