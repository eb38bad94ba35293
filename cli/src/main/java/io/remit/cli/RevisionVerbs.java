package io.remit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintStream;
import java.util.List;

/** {@code revisions SVC}, {@code diff SVC [A [B]]}, {@code rollback SVC [REV]}. */
final class RevisionVerbs {

    private RevisionVerbs() {
    }

    static int revisions(Args args, Api api, PrintStream out) {
        String id = args.take(1, 1, "revisions SVC").get(0);
        Api.Answer a = api.get("/v1/services/" + Api.segment(id) + "/revisions");
        if (args.json()) {
            out.println(a.body());
            return 0;
        }
        Table t = new Table("REVISION", "WHEN", "WHO", "VERSION", "INSTANCES", "MESSAGE");
        for (JsonNode r : a.json().path("revisions")) {
            t.row(r.path("revision").asLong() + (r.path("current").asBoolean() ? " (current)" : ""),
                    when(r.path("at").asText()), r.path("who").asText(), r.path("version").asText(),
                    r.path("instances").asInt(), r.path("message").asText(""));
        }
        out.print(t);
        return 0;
    }

    /** A unified diff of revision A's spec and revision B's (defaults: the one before B, the current). */
    static int diff(Args args, Api api, PrintStream out) {
        List<String> p = args.take(1, 3, "diff SVC [A [B]]");
        String query = "";
        if (p.size() > 1) {
            query += "&from=" + Api.segment(p.get(1));
        }
        if (p.size() > 2) {
            query += "&to=" + Api.segment(p.get(2));
        }
        String path = "/v1/services/" + Api.segment(p.get(0)) + "/revisions/diff" + (query.isEmpty() ? "" : "?" + query.substring(1));
        if (args.json()) {
            out.println(api.get(path).body());
            return 0;
        }
        String text = api.getText(path).body();
        if (text.isEmpty()) {
            out.println("no difference");
        } else {
            out.print(text);
        }
        return 0;
    }

    /** Rolls back to revision REV (default: the one before the current); a new revision, deployed like any change. */
    static int rollback(Args args, Api api, PrintStream out) {
        List<String> p = args.take(1, 2, "rollback SVC [REV] [-m MESSAGE]");
        String body = null;
        if (p.size() == 2) {
            long n;
            try {
                n = Long.parseLong(p.get(1));
            } catch (NumberFormatException e) {
                throw CliException.usage("REV must be a revision number, got '" + p.get(1) + "'");
            }
            body = JsonNodeFactory.instance.objectNode().put("revision", n).toString();
        }
        Api.Answer a = api.write("POST", "/v1/services/" + Api.segment(p.get(0)) + "/rollback", body, args.message());
        out.println(args.json() ? a.body() : a.json().path("message").asText());
        return 0;
    }

    /** {@code 2026-12-07T17:46:35.123Z} as {@code 2026-12-07 17:46:35Z}. */
    static String when(String iso) {
        if (iso.length() < 19 || iso.charAt(10) != 'T') {
            return iso;
        }
        return iso.substring(0, 10) + " " + iso.substring(11, 19) + "Z";
    }
}
