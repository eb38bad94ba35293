package io.remit.registry.etcd;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach etcd: client endpoints, optional username and password, optional TLS, and the
 * timeouts Remit applies to each request. Keys are always absolute ({@code /remit/...}); there is
 * deliberately no namespace option, so what a component writes is what {@code etcdctl} shows.
 *
 * <p>The record itself accepts anything, so a Dropwizard configuration can bind it from YAML;
 * {@link #problems()} lists every problem at once and {@link #validated()} throws them all.
 * {@link Etcd#connect(EtcdSettings)} validates before connecting.
 *
 * @param endpoints      client URLs, e.g. {@code http://127.0.0.1:2379}; all {@code http} or all
 *                       {@code https}, and {@code https} exactly when {@code tls} is set
 * @param user           etcd user, or {@code null} for none; set together with {@code password}
 * @param password       etcd password, or {@code null}
 * @param tls            TLS files, or {@code null} for plaintext
 * @param connectTimeout how long to wait for a TCP connection; {@code null} means 5 s
 * @param requestTimeout deadline of each blocking request Remit makes (get, put, txn, lease
 *                       grant); {@code null} means 5 s
 */
public record EtcdSettings(
        List<String> endpoints,
        String user,
        String password,
        Tls tls,
        Duration connectTimeout,
        Duration requestTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    public EtcdSettings {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints.stream().map(String::valueOf).toList());
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    }

    /** Plaintext, no authentication, default timeouts. */
    public static EtcdSettings of(String... endpoints) {
        return new EtcdSettings(List.of(endpoints), null, null, null, null, null);
    }

    public EtcdSettings withCredentials(String user, String password) {
        return new EtcdSettings(endpoints, user, password, tls, connectTimeout, requestTimeout);
    }

    public EtcdSettings withTls(Tls tls) {
        return new EtcdSettings(endpoints, user, password, tls, connectTimeout, requestTimeout);
    }

    public EtcdSettings withTimeouts(Duration connectTimeout, Duration requestTimeout) {
        return new EtcdSettings(endpoints, user, password, tls, connectTimeout, requestTimeout);
    }

    /**
     * TLS material, as files in PEM format.
     *
     * @param caFile   CA bundle that signed the servers' certificates, or {@code null} to trust
     *                 the JVM's default CAs
     * @param certFile client certificate for mutual TLS, or {@code null}; set together with
     *                 {@code keyFile}
     * @param keyFile  the client certificate's private key (PKCS#8 PEM, as netty reads it), or
     *                 {@code null}
     */
    public record Tls(Path caFile, Path certFile, Path keyFile) {
    }

    /** Every problem with these settings, each naming its field; empty when they are usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (endpoints.isEmpty()) {
            problems.add("endpoints: at least one etcd client URL is required (e.g. http://127.0.0.1:2379)");
        }
        List<String> schemes = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            String scheme = checkEndpoint("endpoints[" + i + "]", endpoints.get(i), problems);
            if (scheme != null && !schemes.contains(scheme)) {
                schemes.add(scheme);
            }
        }
        if (schemes.size() > 1) {
            problems.add("endpoints: mixes http and https; use one scheme for all endpoints");
        } else if (schemes.equals(List.of("https")) && tls == null) {
            problems.add("tls: endpoints use https but no tls section is set");
        } else if (schemes.equals(List.of("http")) && tls != null) {
            problems.add("tls: a tls section is set but endpoints use http; use https:// endpoints");
        }
        if (blank(user) != blank(password)) {
            problems.add(blank(user) ? "user: required when password is set" : "password: required when user is set");
        }
        if (tls != null) {
            checkFile("tls.caFile", tls.caFile(), problems);
            checkFile("tls.certFile", tls.certFile(), problems);
            checkFile("tls.keyFile", tls.keyFile(), problems);
            if ((tls.certFile() == null) != (tls.keyFile() == null)) {
                problems.add(tls.certFile() == null
                        ? "tls.certFile: required when tls.keyFile is set"
                        : "tls.keyFile: required when tls.certFile is set");
            }
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            problems.add("connectTimeout: must be positive (was " + connectTimeout + ")");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            problems.add("requestTimeout: must be positive (was " + requestTimeout + ")");
        }
        return List.copyOf(problems);
    }

    /** These settings, or an {@link InvalidSettingsException} listing every problem. */
    public EtcdSettings validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException("etcd", problems);
        }
        return this;
    }

    /** The scheme when the endpoint is usable, else {@code null} after adding a problem. */
    private static String checkEndpoint(String field, String endpoint, List<String> problems) {
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (Exception e) {
            uri = null;
        }
        String scheme = uri == null ? null : uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            problems.add(field + ": '" + endpoint + "' must be a URL starting with http:// or https://");
            return null;
        }
        boolean ok = true;
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            problems.add(field + ": '" + endpoint + "' has no host");
            ok = false;
        }
        if (uri.getPort() <= 0) {
            problems.add(field + ": '" + endpoint + "' has no port (etcd's client port is usually 2379)");
            ok = false;
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
            problems.add(field + ": '" + endpoint + "' must not have a path or query");
            ok = false;
        }
        return ok ? scheme : null;
    }

    private static void checkFile(String field, Path file, List<String> problems) {
        if (file != null && !Files.isReadable(file)) {
            problems.add(field + ": " + file + " does not exist or is not readable");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "EtcdSettings[endpoints=" + endpoints + ", user=" + user
                + ", password=" + (password == null ? null : "***") + ", tls=" + tls
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }

}
