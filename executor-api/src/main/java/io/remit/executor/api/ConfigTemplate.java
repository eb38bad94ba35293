package io.remit.executor.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one renderer of service config templates, used by the executor (and by the scheduler to
 * check specs): {@code {{name}}} placeholders, whitespace allowed inside the braces. The values
 * an instance gets are {@link #values(LaunchSpec)}: {@code {{port.<name>}}} per port,
 * {@code {{etcd.endpoints}}} (comma-separated), {@code {{instance.id}}} and
 * {@code {{service.version}}}. Values are inserted as they are, without quoting. Pure; thread-safe.
 */
public final class ConfigTemplate {

    public static final String PORT_PREFIX = "port.";
    public static final String ETCD_ENDPOINTS = "etcd.endpoints";
    public static final String INSTANCE_ID = "instance.id";
    public static final String SERVICE_VERSION = "service.version";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]*)\\s*}}");

    private ConfigTemplate() {
    }

    /**
     * Replaces every placeholder with its value.
     *
     * @throws TemplateException naming the first placeholder that has no value, or the first
     *     "{{" that does not open a well-formed placeholder, with its line
     */
    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        int from = 0;
        while (true) {
            int open = template.indexOf("{{", from);
            if (open < 0) {
                break;
            }
            if (!m.find(open) || m.start() != open) {
                String snippet = template.substring(open, Math.min(template.length(), lineEnd(template, open)));
                throw new TemplateException(snippet, "'" + snippet + "' at line " + lineOf(template, open)
                        + " is not a placeholder such as {{port.http}}");
            }
            String name = m.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new TemplateException(name, "unknown placeholder {{" + name + "}} at line " + lineOf(template, open)
                        + " (known: " + known(values) + ")");
            }
            out.append(template, from, open).append(value);
            from = m.end();
        }
        out.append(template, from, template.length());
        return out.toString();
    }

    /** The placeholder names in {@code template}, in order of first appearance. */
    public static java.util.Set<String> placeholders(String template) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Where the first "{{" that does not open a well-formed placeholder is, as "line N", or null
     * when every one does.
     */
    public static String firstStray(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        int from = 0;
        while (true) {
            int open = template.indexOf("{{", from);
            if (open < 0) {
                return null;
            }
            if (m.find(open) && m.start() == open) {
                from = m.end();
            } else {
                return "line " + lineOf(template, open);
            }
        }
    }

    /** The placeholder values of an instance. */
    public static Map<String, String> values(LaunchSpec spec) {
        Map<String, String> values = new TreeMap<>();
        spec.ports().forEach((name, port) -> values.put(PORT_PREFIX + name, String.valueOf(port)));
        values.put(ETCD_ENDPOINTS, spec.etcd() == null ? "" : String.join(",", spec.etcd().endpoints()));
        values.put(INSTANCE_ID, spec.instanceId());
        values.put(SERVICE_VERSION, spec.version());
        return values;
    }

    private static String known(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        for (String name : new TreeSet<>(values.keySet())) {
            b.append(b.length() == 0 ? "" : ", ").append("{{").append(name).append("}}");
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return Math.min(nl < 0 ? text.length() : nl, from + 40);
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
