package io.remit.registry.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.Keys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An A/B experiment, stored at {@code /remit/experiments/<name>}:
 *
 * <pre>{@code
 * {"split": 10,
 *  "cohort": {"field": "payerId"},
 *  "versions": {"fx":       {"control": "1.4.2", "treatment": "1.5.0"},
 *               "payments": {"control": "2.2.0", "treatment": "2.3.0"}}}
 * }</pre>
 *
 * A request's <b>cohort key</b> (a payer, a client) comes from the inbound header
 * {@value #COHORT_HEADER}, or where the request enters Remit from the header or JSON body field the
 * {@code cohort} names; the kit carries it on every call made for the request. The key's
 * {@link #bucket} (0..99) puts it in the treatment when below {@code split}, else in the control,
 * and each service named in {@code versions} is then called at that arm's version. The same key
 * lands in the same arm of every service of the experiment, in every process: the bucket is a
 * fixed hash of the experiment's name and the key. Raising {@code split} only moves keys from the
 * control into the treatment.
 *
 * @param name     the experiment's name (the key's last segment)
 * @param split    the percentage of cohort keys in the treatment, 0..100
 * @param cohort   where a request's cohort key comes from where it enters
 * @param versions service to its two arms' versions; immutable, sorted by service
 */
public record Experiment(String name, int split, Cohort cohort, Map<String, Arms> versions) {

    /** The header that carries a request's cohort key from service to service. */
    public static final String COHORT_HEADER = "X-Remit-Cohort";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Set<String> FIELDS = Set.of("split", "cohort", "versions");

    public Experiment {
        Keys.segment("experiment", name);
        if (split < 0 || split > 100) {
            throw new IllegalArgumentException("split must be a percentage in 0..100: " + split);
        }
        if (cohort == null) {
            throw new IllegalArgumentException("cohort is required");
        }
        if (versions == null || versions.isEmpty()) {
            throw new IllegalArgumentException("versions must name at least one service");
        }
        versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    }

    /**
     * Where a request's cohort key comes from where it enters: exactly one of a header's value and
     * a top-level field of the request's JSON body (its text, for a string or a number).
     */
    public record Cohort(String header, String field) {
        public Cohort {
            if ((header == null) == (field == null)) {
                throw new IllegalArgumentException("a cohort is exactly one of header and field");
            }
        }

        public static Cohort ofHeader(String header) {
            return new Cohort(header, null);
        }

        public static Cohort ofField(String field) {
            return new Cohort(null, field);
        }
    }

    /** The versions of one service in the experiment: the control (today's) and the treatment. */
    public record Arms(String control, String treatment) {
        public Arms {
            if (control == null || control.isBlank() || treatment == null || treatment.isBlank()) {
                throw new IllegalArgumentException("control and treatment are required");
            }
            if (control.equals(treatment)) {
                throw new IllegalArgumentException("control and treatment must differ: both are " + control);
            }
        }
    }

    /** One problem of an experiment's document: the field and what is wrong with it. */
    public record Problem(String path, String message) {
    }

    /** Whether {@code cohortKey} is in the treatment: its {@link #bucket} is below {@link #split()}. */
    public boolean inTreatment(String cohortKey) {
        return bucket(name, cohortKey) < split;
    }

    /**
     * The version of {@code service} that {@code cohortKey} is to be served by, or {@code null}
     * when the experiment does not name the service.
     */
    public String versionFor(String service, String cohortKey) {
        Arms arms = versions.get(service);
        if (arms == null) {
            return null;
        }
        return inTreatment(cohortKey) ? arms.treatment() : arms.control();
    }

    /**
     * The bucket, 0..99, of {@code cohortKey} in the experiment named {@code experiment}: the
     * 64-bit FNV-1a hash of the UTF-8 bytes of {@code experiment + ":" + cohortKey}, mixed by
     * MurmurHash3's 64-bit finaliser ({@code fmix64}), as an unsigned number modulo 100. Any
     * program that needs the arm of a key (a report, a gateway in another language) computes the
     * same. Allocates nothing.
     */
    public static int bucket(String experiment, String cohortKey) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, experiment);
        h = (h ^ ':') * 0x100000001b3L;
        h = fnv(h, cohortKey);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, 100);
    }

    /** FNV-1a over the bytes {@code s.getBytes(UTF_8)} would give (an unpaired surrogate is a '?'), without making them. */
    private static long fnv(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            int c = s.charAt(i);
            if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                c = Character.toCodePoint((char) c, s.charAt(++i));
            } else if (Character.isSurrogate((char) c)) {
                c = '?'; // what String.getBytes(UTF_8) writes for an unpaired surrogate
            }
            if (c < 0x80) {
                h = (h ^ c) * 0x100000001b3L;
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | (c >> 6))) * 0x100000001b3L;
                h = (h ^ (0x80 | (c & 0x3f))) * 0x100000001b3L;
            } else if (c < 0x10000) {
                h = (h ^ (0xe0 | (c >> 12))) * 0x100000001b3L;
                h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * 0x100000001b3L;
                h = (h ^ (0x80 | (c & 0x3f))) * 0x100000001b3L;
            } else {
                h = (h ^ (0xf0 | (c >> 18))) * 0x100000001b3L;
                h = (h ^ (0x80 | ((c >> 12) & 0x3f))) * 0x100000001b3L;
                h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * 0x100000001b3L;
                h = (h ^ (0x80 | (c & 0x3f))) * 0x100000001b3L;
            }
        }
        return h;
    }

    /** The document as stored: {@code {"split", "cohort", "versions"}}. */
    public ObjectNode toTree() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("split", split);
        ObjectNode c = node.putObject("cohort");
        if (cohort.header() != null) {
            c.put("header", cohort.header());
        } else {
            c.put("field", cohort.field());
        }
        ObjectNode v = node.putObject("versions");
        versions.forEach((service, arms) -> v.putObject(service).put("control", arms.control())
                .put("treatment", arms.treatment()));
        return node;
    }

    public byte[] toJson() {
        return Json.write(toTree());
    }

    /** Reads an experiment as stored (unknown fields ignored); a malformed or invalid one throws. */
    public static Experiment fromJson(String name, byte[] json) throws IOException {
        List<Problem> problems = new ArrayList<>();
        Experiment e = parse(name, Json.MAPPER.readTree(json), false, problems);
        if (e == null) {
            throw new IllegalArgumentException("experiment " + name + ": " + problems);
        }
        return e;
    }

    /** Whether {@code name} may name an experiment: 1 to 63 letters, digits, '.', '_' or '-', not starting with a punctuation mark. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * Parses an experiment's document, adding every problem found to {@code problems} (with its
     * field path, e.g. {@code versions.fx.treatment}); {@code null} when there is any.
     *
     * @param strict whether fields other than {@code split}, {@code cohort} and {@code versions}
     *               are problems (an API refuses them; a reader of etcd ignores them)
     */
    public static Experiment parse(String name, JsonNode node, boolean strict, List<Problem> problems) {
        int before = problems.size();
        if (!validName(name)) {
            problems.add(new Problem("name", "must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (node == null || !node.isObject()) {
            problems.add(new Problem("", "must be a JSON object with split, cohort and versions"));
            return null;
        }
        if (strict) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    problems.add(new Problem(f, "is not a field of an experiment (split, cohort, versions)"));
                }
            }
        }
        JsonNode s = node.get("split");
        int split = -1;
        if (s == null || s.isNull()) {
            problems.add(new Problem("split", "is required: the percentage of cohort keys in the treatment, 0..100"));
        } else if (!s.isIntegralNumber() || !s.canConvertToInt() || s.intValue() < 0 || s.intValue() > 100) {
            problems.add(new Problem("split", "must be a whole percentage in 0..100"));
        } else {
            split = s.intValue();
        }
        Cohort cohort = cohort(node.get("cohort"), strict, problems);
        Map<String, Arms> versions = new TreeMap<>();
        JsonNode v = node.get("versions");
        if (v == null || !v.isObject() || v.isEmpty()) {
            problems.add(new Problem("versions", "must name at least one service: {\"<service>\": {\"control\": \"<version>\", "
                    + "\"treatment\": \"<version>\"}}"));
        } else {
            v.fields().forEachRemaining(e -> {
                Arms arms = arms(e.getKey(), e.getValue(), strict, problems);
                if (arms != null) {
                    versions.put(e.getKey(), arms);
                }
            });
        }
        if (problems.size() > before) {
            return null;
        }
        return new Experiment(name, split, cohort, versions);
    }

    private static Cohort cohort(JsonNode c, boolean strict, List<Problem> problems) {
        if (c == null || !c.isObject()) {
            problems.add(new Problem("cohort", "is required: {\"header\": \"<header>\"} or {\"field\": \"<body field>\"}"));
            return null;
        }
        JsonNode header = c.get("header");
        JsonNode field = c.get("field");
        if (strict) {
            for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("header") && !f.equals("field")) {
                    problems.add(new Problem("cohort." + f, "is not a field of a cohort (header or field)"));
                }
            }
        }
        if ((header == null) == (field == null)) {
            problems.add(new Problem("cohort", "must name exactly one of header and field"));
            return null;
        }
        if (header != null) {
            if (!header.isTextual() || !HEADER.matcher(header.asText()).matches()) {
                problems.add(new Problem("cohort.header", "must be an HTTP header name, e.g. " + COHORT_HEADER));
                return null;
            }
            return Cohort.ofHeader(header.asText());
        }
        if (!field.isTextual() || field.asText().isBlank() || field.asText().length() > 100) {
            problems.add(new Problem("cohort.field", "must name a top-level field of the request's JSON body, e.g. payerId"));
            return null;
        }
        return Cohort.ofField(field.asText());
    }

    private static Arms arms(String service, JsonNode a, boolean strict, List<Problem> problems) {
        String at = "versions." + service;
        int before = problems.size();
        if (service.isEmpty() || service.contains("/") || !service.strip().equals(service)) {
            problems.add(new Problem(at, "is not a service name"));
        }
        if (a == null || !a.isObject()) {
            problems.add(new Problem(at, "must be {\"control\": \"<version>\", \"treatment\": \"<version>\"}"));
            return null;
        }
        if (strict) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("control") && !f.equals("treatment")) {
                    problems.add(new Problem(at + "." + f, "is not a field of a service's arms (control, treatment)"));
                }
            }
        }
        String control = version(a.get("control"), at + ".control", problems);
        String treatment = version(a.get("treatment"), at + ".treatment", problems);
        if (control != null && control.equals(treatment)) {
            problems.add(new Problem(at + ".treatment", "must differ from the control (both are " + control + ")"));
        }
        return problems.size() > before ? null : new Arms(control, treatment);
    }

    private static String version(JsonNode v, String at, List<Problem> problems) {
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add(new Problem(at, "is required: a version of the service"));
            return null;
        }
        return v.asText();
    }
}
