package io.remit.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.remit.registry.etcd.EtcdSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where etcd is, as the scheduler's YAML names it; becomes the registry's {@link EtcdSettings}.
 * A blank value is as good as none (so that {@code ${VAR:-}} in the YAML can leave one out).
 *
 * <pre>{@code
 * etcd:
 *   endpoints: [https://etcd-1:2379]
 *   user: remit-scheduler                 # read and write under /remit/
 *   passwordFile: /etc/remit/etcd.password
 *   caFile: /etc/remit/etcd-ca.pem
 *   certFile: /etc/remit/etcd-scheduler.pem         # where etcd asks clients for a certificate
 *   keyFile: /etc/remit/etcd-scheduler.key
 *   executorCertFile: /etc/remit/etcd-executor.pem  # passed on to executors and their services
 *   executorKeyFile: /etc/remit/etcd-executor.key
 *   access:                               # a user per service for its executors and instances
 *     enabled: true
 *     adminUser: root                     # holds etcd's root role: makes those users and roles
 *     adminPasswordFile: /etc/remit/etcd-root.password
 * }</pre>
 */
public class EtcdConfig {

    @NotEmpty
    @JsonProperty
    public List<String> endpoints = new ArrayList<>(List.of("http://127.0.0.1:2379"));

    @JsonProperty
    public String user;

    @JsonProperty
    public String password;

    /** The password in a file (its text, trimmed) instead of {@link #password}. */
    @JsonProperty
    public String passwordFile;

    /** With TLS: the CA that signed etcd's certificate, and our client certificate and key if etcd asks. */
    @JsonProperty
    public String caFile;

    @JsonProperty
    public String certFile;

    @JsonProperty
    public String keyFile;

    /**
     * A client certificate and key (PEM files; the key PKCS#8) for the executors and the services
     * they start, where etcd asks every client for one ({@code --client-cert-auth}). The scheduler
     * reads them and passes their text in each launch spec, as it does the CA. Who an executor
     * or service is stays its etcd user: the certificate must have no common name (etcd 3.4 would
     * take one for the user when no password is given, and its JSON gateway, which executors use,
     * refuses a certificate with one).
     */
    @JsonProperty
    public String executorCertFile;

    @JsonProperty
    public String executorKeyFile;

    /** Per-service etcd users, off unless enabled; see {@link Access}. */
    @Valid
    @NotNull
    @JsonProperty
    public Access access = new Access();

    /**
     * Per-service etcd users (io.remit.scheduler.state.EtcdAccess): when enabled, each service's
     * executors get a user that may write only its discovery records and its instances one that
     * reads only its config, the flags and discovery, instead of the scheduler's own. Needs
     * etcd with authentication, an admin user with etcd's root role (it makes the users and
     * roles) and the scheduler's {@code secretsKeyFile} (which seals their passwords in etcd).
     */
    public static class Access {
        @JsonProperty
        public boolean enabled;

        @JsonProperty
        public String adminUser = "root";

        @JsonProperty
        public String adminPassword;

        @JsonProperty
        public String adminPasswordFile;

        /**
         * How often the leader looks for deleted services whose users are still there (it also
         * looks when elected); their instances must be gone first.
         */
        @NotNull
        @JsonProperty
        public java.time.Duration sweepInterval = java.time.Duration.ofSeconds(10);
    }

    /** The scheduler's own connection. */
    public EtcdSettings settings() {
        return withTls(credentials(EtcdSettings.of(endpoints.toArray(String[]::new)), user, password, passwordFile, "etcd"))
                .validated();
    }

    /** The admin connection of {@link Access}: the same endpoints and TLS, the admin user. */
    public EtcdSettings adminSettings() {
        if (blank(access.adminUser)) {
            throw new IllegalArgumentException("etcd.access.adminUser: required when etcd.access.enabled is true");
        }
        if (blank(access.adminPassword) && blank(access.adminPasswordFile)) {
            throw new IllegalArgumentException("etcd.access: adminPassword or adminPasswordFile is required when enabled");
        }
        return withTls(credentials(EtcdSettings.of(endpoints.toArray(String[]::new)), access.adminUser,
                access.adminPassword, access.adminPasswordFile, "etcd.access.admin")).validated();
    }

    /** The CA file's certificates (PEM text), for the executors; null without one. */
    public String caPem() {
        if (blank(caFile)) {
            return null;
        }
        try {
            return Files.readString(Path.of(caFile), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("etcd.caFile: cannot read " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** The executors' client certificate and key (PEM text), or null without them. */
    public String[] executorCertPem() {
        if (blank(executorCertFile) && blank(executorKeyFile)) {
            return null;
        }
        if (blank(executorCertFile) || blank(executorKeyFile)) {
            throw new IllegalArgumentException(blank(executorCertFile)
                    ? "etcd.executorCertFile: required when etcd.executorKeyFile is set"
                    : "etcd.executorKeyFile: required when etcd.executorCertFile is set");
        }
        return new String[] {read(executorCertFile, "etcd.executorCertFile"), read(executorKeyFile, "etcd.executorKeyFile")};
    }

    private static String read(String file, String field) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(field + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The scheduler's password, from {@link #password} or {@link #passwordFile}; null without one. */
    public String resolvedPassword() {
        return secret(password, passwordFile, "etcd");
    }

    public String resolvedUser() {
        return blank(user) ? null : user.strip();
    }

    private EtcdSettings credentials(EtcdSettings s, String user, String password, String passwordFile, String field) {
        return blank(user) ? s : s.withCredentials(user.strip(), secret(password, passwordFile, field));
    }

    private EtcdSettings withTls(EtcdSettings s) {
        if (blank(caFile) && blank(certFile)) {
            // https without a CA file: the JVM's trusted CAs
            boolean https = !endpoints.isEmpty() && endpoints.stream().allMatch(e -> e.strip().startsWith("https:"));
            return https ? s.withTls(new EtcdSettings.Tls(null, null, null)) : s;
        }
        return s.withTls(new EtcdSettings.Tls(blank(caFile) ? null : Path.of(caFile), blank(certFile) ? null : Path.of(certFile),
                blank(keyFile) ? null : Path.of(keyFile)));
    }

    private static String secret(String value, String file, String field) {
        if (!blank(value)) {
            return value;
        }
        if (blank(file)) {
            return null;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(field + ": cannot read the password file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
