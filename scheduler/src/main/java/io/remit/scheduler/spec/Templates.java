package io.remit.scheduler.spec;

import io.remit.executor.api.ConfigTemplate;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code {{name}}} placeholders of specs, checked when a spec is submitted. The executor
 * renders the config on the agent ({@code io.remit.executor.api.ConfigTemplate}), once the ports
 * are known; this class only says what is wrong before anything is launched.
 *
 * <p>In {@code config}: {@code {{port.<name>}}} for each port in {@code resources.ports},
 * {@code {{etcd.endpoints}}} (comma-separated etcd client URLs), {@code {{instance.id}}} (the task
 * id) and {@code {{service.version}}}. Whitespace inside the braces is allowed.
 *
 * <p>In {@code artifacts}: {@code {{artifacts}}} only, at the very start of an entry and followed
 * by a relative path ({@code {{artifacts}}/hello.jar}); it stands for the scheduler's artifact
 * base URL, which differs between a laptop ({@code file://...}) and a cluster
 * ({@code https://...}).
 */
public final class Templates {

    public static final String ARTIFACTS = "{{artifacts}}";
    public static final String ETCD_ENDPOINTS = ConfigTemplate.ETCD_ENDPOINTS;
    public static final String INSTANCE_ID = ConfigTemplate.INSTANCE_ID;
    public static final String SERVICE_VERSION = ConfigTemplate.SERVICE_VERSION;
    public static final String PORT_PREFIX = ConfigTemplate.PORT_PREFIX;

    private static final Set<String> SCHEMES = Set.of("http", "https", "file");

    private Templates() {}

    /** The placeholder names in a template, in order of first appearance (the executor's grammar). */
    public static Set<String> placeholders(String template) {
        return ConfigTemplate.placeholders(template);
    }

    /** What is wrong with a config template given the service's port names; empty when fine. */
    public static List<String> configProblems(String template, List<String> portNames) {
        List<String> problems = new ArrayList<>();
        for (String name : placeholders(template)) {
            if (name.startsWith(PORT_PREFIX)) {
                String port = name.substring(PORT_PREFIX.length());
                if (!portNames.contains(port)) {
                    problems.add("placeholder {{" + name + "}} names no port in resources.ports " + portNames);
                }
            } else if (!name.equals(ETCD_ENDPOINTS) && !name.equals(INSTANCE_ID) && !name.equals(SERVICE_VERSION)) {
                problems.add("unknown placeholder {{" + name + "}} (known: {{port.<name>}}, {{" + ETCD_ENDPOINTS
                        + "}}, {{" + INSTANCE_ID + "}}, {{" + SERVICE_VERSION + "}})");
            }
        }
        String stray = ConfigTemplate.firstStray(template);
        if (stray != null) {
            problems.add("'{{' at " + stray + " does not start a placeholder such as {{port.http}}");
        }
        return problems;
    }

    /** What is wrong with one {@code artifacts} entry, or empty when it is fine. */
    public static Optional<String> artifactProblem(String entry) {
        if (entry.startsWith(ARTIFACTS)) {
            String rest = entry.substring(ARTIFACTS.length());
            if (!rest.startsWith("/") || rest.length() < 2 || rest.endsWith("/")) {
                return Optional.of("after {{artifacts}} must come a path to a file, such as {{artifacts}}/hello.jar");
            }
            if (rest.contains("{{")) {
                return Optional.of("only one placeholder, {{artifacts}}, is allowed");
            }
            if (("/" + rest + "/").contains("/../")) {
                return Optional.of("the path must not leave the artifact base ('..')");
            }
            try {
                new URI("http://artifacts.invalid" + rest);
            } catch (URISyntaxException e) {
                return Optional.of("not a valid URI path: " + e.getReason());
            }
            return Optional.empty();
        }
        if (entry.contains("{{")) {
            return Optional.of("the only placeholder allowed is {{artifacts}}, at the start");
        }
        URI uri;
        try {
            uri = new URI(entry);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URI: " + e.getReason());
        }
        if (uri.getScheme() == null) {
            return Optional.of("must be an absolute http, https or file URI, or start with {{artifacts}}/");
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return Optional.of("scheme '" + uri.getScheme() + "' is not supported (http, https, file)");
        }
        if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isEmpty())) {
            return Optional.of("an " + scheme + " URI needs a host");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().endsWith("/")) {
            return Optional.of("must name a file");
        }
        return Optional.empty();
    }

    /**
     * The URI the executor fetches for an {@code artifacts} entry.
     *
     * @param entry a valid entry (see {@link #artifactProblem(String)})
     * @param base the scheduler's artifact base URL, absolute http, https or file; a trailing '/'
     *     is ignored
     * @throws IllegalArgumentException when the entry or the base is not valid
     */
    public static URI resolveArtifact(String entry, URI base) {
        artifactProblem(entry).ifPresent(p -> {
            throw new IllegalArgumentException("artifact '" + entry + "': " + p);
        });
        if (!entry.startsWith(ARTIFACTS)) {
            return URI.create(entry);
        }
        if (base == null || base.getScheme() == null || !SCHEMES.contains(base.getScheme().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("artifact base URL must be an absolute http, https or file URI: " + base);
        }
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + entry.substring(ARTIFACTS.length()));
    }
}
