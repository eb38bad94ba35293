package io.remit.executor.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the scheduler tells the service executor about one instance: the JSON in
 * {@code TaskInfo.data}. The schema is documented in {@code executors/README.md}; durations are
 * ISO-8601 strings ({@code "PT2S"}). Read it with {@link #fromJson(byte[])}, write it with
 * {@link #toJson()}; unknown fields are ignored so that a newer scheduler can add some.
 *
 * <p>Construction fills in defaults but does not validate, so that every problem can be listed at
 * once: {@link #problems()}, {@link #validated()}.
 *
 * @param serviceId the service, e.g. {@code hello}; a key segment (no '/')
 * @param version the service version, rendered as {@code {{service.version}}}
 * @param instanceId the instance id, which is the Mesos task id; rendered as {@code {{instance.id}}}
 * @param artifact the file name of the service jar in the sandbox (the agent fetched it from the
 *     ExecutorInfo's {@code CommandInfo.uris}), e.g. {@code hello.jar}
 * @param configTemplate the service's Dropwizard config with {@code {{...}}} placeholders (see
 *     {@link ConfigTemplate}); default empty
 * @param ports named ports the scheduler reserved from the offer, e.g. {@code http}, {@code admin};
 *     {@code admin} is required (the health check runs there)
 * @param memMb the memory of the task; the service's heap is 75% of it, at least 32 MB
 * @param jvmOptions options for the service JVM, after the derived {@code -Xmx} (so one of them
 *     may override it); default none
 * @param env environment variables of the service, on top of the executor's; default none
 * @param healthCheck how health is checked; every field has a default
 * @param etcd where the discovery record goes
 * @param drainGrace how long to wait between deleting the discovery record and SIGTERM on a
 *     KILL (a KILL's own kill policy grace period overrides it); default 5 s
 * @param registrationTtl the lease TTL of the discovery record, whole seconds, at least 2 s;
 *     default 10 s
 * @param command optional: a shell command run with {@code /bin/sh -c} in the sandbox instead of
 *     the service jar ("command mode"; {@code artifact} and {@code jvmOptions} are then unused)
 * @param args optional: an argument vector run without a shell instead of the service jar; at most
 *     one of {@code command} and {@code args}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LaunchSpec(
        String serviceId,
        String version,
        String instanceId,
        String artifact,
        String configTemplate,
        Map<String, Integer> ports,
        int memMb,
        List<String> jvmOptions,
        Map<String, String> env,
        HealthCheck healthCheck,
        Etcd etcd,
        Duration drainGrace,
        Duration registrationTtl,
        String command,
        List<String> args) {

    public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REGISTRATION_TTL = Duration.ofSeconds(10);
    /** The port the health check runs on. */
    public static final String ADMIN_PORT = "admin";

    public LaunchSpec {
        configTemplate = configTemplate == null ? "" : configTemplate;
        ports = ports == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(ports));
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
        healthCheck = healthCheck == null ? HealthCheck.DEFAULT : healthCheck;
        drainGrace = drainGrace == null ? DEFAULT_DRAIN_GRACE : drainGrace;
        registrationTtl = registrationTtl == null ? DEFAULT_REGISTRATION_TTL : registrationTtl;
        args = args == null ? null : Collections.unmodifiableList(new ArrayList<>(args));
    }

    /**
     * The executor environment variable in which the scheduler may pass this spec, without etcd's
     * credentials, for the executor to start the service before LAUNCH (executors/README.md, Start-up).
     */
    public static final String EARLY_START_ENV = "REMIT_LAUNCH_SPEC";

    /** A spec that runs the service jar {@code artifact}. */
    public LaunchSpec(String serviceId, String version, String instanceId, String artifact, String configTemplate,
                      Map<String, Integer> ports, int memMb, List<String> jvmOptions, Map<String, String> env,
                      HealthCheck healthCheck, Etcd etcd, Duration drainGrace, Duration registrationTtl) {
        this(serviceId, version, instanceId, artifact, configTemplate, ports, memMb, jvmOptions, env, healthCheck, etcd,
                drainGrace, registrationTtl, null, null);
    }

    /**
     * This spec without etcd's user and password: what the scheduler may put in the executor's
     * environment (see executors/README.md, Start-up), where Mesos shows it in its state.
     */
    public LaunchSpec withoutEtcdCredentials() {
        Etcd bare = etcd == null ? null : new Etcd(etcd.endpoints(), null, null, etcd.ca(), null, null, null, null);
        return new LaunchSpec(serviceId, version, instanceId, artifact, configTemplate, ports, memMb, jvmOptions, env,
                healthCheck, bare, drainGrace, registrationTtl, command, args);
    }

    /** Whether this runs {@link #command()} or {@link #args()} rather than the jar. */
    public boolean runsCommand() {
        return command != null || args != null;
    }

    /**
     * How the executor decides the instance is healthy: {@code GET http://127.0.0.1:<port><path>},
     * {@code port} naming one of the ports (default {@code admin}),
     * every {@code interval}, each given {@code timeout}; a 2xx answer is healthy. Failures before
     * the first healthy answer and within {@code gracePeriod} of the start do not count;
     * {@code consecutiveFailures} failures in a row make it unhealthy.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HealthCheck(String path, Duration interval, Duration timeout, Duration gracePeriod,
                              Integer consecutiveFailures, String port) {

        public static final HealthCheck DEFAULT = new HealthCheck(null, null, null, null, null, null);

        /** A check on the {@code admin} port. */
        public HealthCheck(String path, Duration interval, Duration timeout, Duration gracePeriod,
                           Integer consecutiveFailures) {
            this(path, interval, timeout, gracePeriod, consecutiveFailures, null);
        }

        public HealthCheck {
            path = path == null ? "/healthcheck" : path;
            interval = interval == null ? Duration.ofSeconds(10) : interval;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            gracePeriod = gracePeriod == null ? Duration.ofSeconds(60) : gracePeriod;
            consecutiveFailures = consecutiveFailures == null ? 3 : consecutiveFailures;
            port = port == null ? ADMIN_PORT : port;
        }
    }

    /**
     * The etcd cluster of the discovery record, and who the executor and its service are there.
     *
     * @param endpoints client URLs, e.g. {@code http://127.0.0.1:2379}; also rendered, comma-separated,
     *     as {@code {{etcd.endpoints}}}
     * @param user the executor's etcd user, optional; with {@code password}
     * @param password optional; never shown by {@link #toString()}
     * @param ca optional: the CA certificates (PEM text) that signed etcd's, for {@code https}
     *     endpoints; without it the JVM's trusted CAs are used. The executor writes it to
     *     {@value #CA_FILE} in the sandbox and gives the service that file.
     * @param serviceUser the service's own etcd user, optional; with {@code servicePassword}. The
     *     service gets it in its environment ({@value #USER_ENV}, {@value #PASSWORD_ENV}), never
     *     the executor's
     * @param servicePassword optional; never shown by {@link #toString()}
     * @param cert optional: a client certificate (PEM) signed by a CA etcd trusts, for an etcd that
     *     asks for one ({@code --client-cert-auth}); with {@code key}. The executor shows it to
     *     etcd and gives the service the same one ({@value #CERT_FILE}, {@value #KEY_FILE} in the
     *     sandbox). Who each is stays the user and password: the certificate has no common name,
     *     so it authenticates nobody by itself
     * @param key optional: the certificate's private key (PKCS#8 PEM); never shown by {@link #toString()}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Etcd(List<String> endpoints, String user, String password, String ca, String serviceUser,
                       String servicePassword, String cert, String key) {

        /** The service's etcd user, in its environment. */
        public static final String USER_ENV = "REMIT_ETCD_USER";
        /** The service's etcd password, in its environment. */
        public static final String PASSWORD_ENV = "REMIT_ETCD_PASSWORD";
        /** The CA file (absolute path) that signed etcd's certificate, in the service's environment. */
        public static final String CA_FILE_ENV = "REMIT_ETCD_CA_FILE";
        /** Where the executor writes {@link #ca()} in the sandbox. */
        public static final String CA_FILE = "etcd-ca.pem";
        /** The client certificate and key files (absolute paths), in the service's environment. */
        public static final String CERT_FILE_ENV = "REMIT_ETCD_CERT_FILE";
        public static final String KEY_FILE_ENV = "REMIT_ETCD_KEY_FILE";
        /** Where the executor writes {@link #cert()} and {@link #key()} (readable by its user only) in the sandbox. */
        public static final String CERT_FILE = "etcd-client.pem";
        public static final String KEY_FILE = "etcd-client.key";

        public Etcd {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }

        /** Without a client certificate. */
        public Etcd(List<String> endpoints, String user, String password, String ca, String serviceUser,
                    String servicePassword) {
            this(endpoints, user, password, ca, serviceUser, servicePassword, null, null);
        }

        /** This with the client certificate {@code cert} and its key (PEM), or none when null. */
        public Etcd withClientCert(String cert, String key) {
            return new Etcd(endpoints, user, password, ca, serviceUser, servicePassword, cert, key);
        }

        /** Whether a client certificate is given. */
        public boolean hasClientCert() {
            return cert != null;
        }

        /** Endpoints and the executor's credentials; no CA, no service credentials. */
        public Etcd(List<String> endpoints, String user, String password) {
            this(endpoints, user, password, null, null, null);
        }

        public static Etcd of(String... endpoints) {
            return new Etcd(List.of(endpoints), null, null);
        }

        /** Whether the service has credentials of its own. */
        public boolean hasServiceCredentials() {
            return serviceUser != null;
        }

        @Override
        public String toString() {
            return "Etcd[endpoints=" + endpoints + ", user=" + user + ", password=" + (password == null ? null : "***")
                    + (ca == null ? "" : ", ca=(PEM)") + (cert == null ? "" : ", cert=(PEM), key=***")
                    + (serviceUser == null ? "" : ", serviceUser=" + serviceUser + ", servicePassword="
                    + (servicePassword == null ? null : "***")) + "]";
        }
    }

    /** Shows env names only: values may be secrets. */
    @Override
    public String toString() {
        return "LaunchSpec[serviceId=" + serviceId + ", version=" + version + ", instanceId=" + instanceId
                + ", artifact=" + artifact + ", ports=" + ports + ", memMb=" + memMb + ", jvmOptions=" + jvmOptions
                + ", env=" + env.keySet() + ", healthCheck=" + healthCheck + ", etcd=" + etcd + ", drainGrace="
                + drainGrace + ", registrationTtl=" + registrationTtl
                + (command != null ? ", command=" + command : "") + (args != null ? ", args=" + args : "") + "]";
    }

    /** Reads and validates a spec; the exception lists every problem, or says why the JSON does not parse. */
    public static LaunchSpec fromJson(byte[] json) {
        return LaunchSpecJson.read(json).validated();
    }

    /** The JSON form, durations as ISO-8601 strings. */
    public byte[] toJson() {
        return LaunchSpecJson.write(this);
    }

    /** This spec, or an {@link InvalidLaunchSpecException} listing every problem. */
    public LaunchSpec validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new InvalidLaunchSpecException(problems);
        }
        return this;
    }

    /** Every problem of this spec, each naming its field; empty when it can be launched. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        segment(p, "serviceId", serviceId);
        required(p, "version", version);
        segment(p, "instanceId", instanceId);
        if (command != null && args != null) {
            p.add("args: give either command or args, not both");
        }
        if (command != null && command.isBlank()) {
            p.add("command: must not be empty");
        }
        if (args != null && (args.isEmpty() || args.get(0) == null || args.get(0).isBlank())) {
            p.add("args: must start with the program to run");
        }
        if (runsCommand() && artifact == null) {
            // nothing to check: the command names what it runs
        } else if (artifact == null || artifact.isBlank()) {
            p.add("artifact: required (the file name of the service jar in the sandbox)");
        } else if (artifact.contains("/") || artifact.equals("..") || artifact.equals(".")) {
            p.add("artifact: must be a file name in the sandbox, without '/': '" + artifact + "'");
        }
        ports.forEach((name, port) -> {
            if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
                p.add("ports: name '" + name + "' must be letters, digits, '_' or '-'");
            }
            if (port == null || port < 1 || port > 65535) {
                p.add("ports." + name + ": must be in 1..65535, was " + port);
            }
        });
        if (!ports.containsKey(healthCheck.port())) {
            p.add("ports: must include '" + healthCheck.port() + "' (the health check port)");
        }
        if (memMb < 32) {
            p.add("memMb: must be at least 32, was " + memMb);
        }
        for (int i = 0; i < jvmOptions.size(); i++) {
            String o = jvmOptions.get(i);
            if (o == null || !o.startsWith("-")) {
                p.add("jvmOptions[" + i + "]: must start with '-', was '" + o + "'");
            }
        }
        env.forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.contains("=") || value == null) {
                p.add("env: '" + name + "' is not a usable variable (a name without '=' and a value)");
            }
        });
        healthCheckProblems(p);
        if (etcd == null || etcd.endpoints().isEmpty()) {
            p.add("etcd.endpoints: at least one etcd client URL is required");
        } else {
            if ((etcd.user() == null) != (etcd.password() == null)) {
                p.add("etcd: user and password go together");
            }
            if ((etcd.serviceUser() == null) != (etcd.servicePassword() == null)) {
                p.add("etcd: serviceUser and servicePassword go together");
            }
            if (etcd.ca() != null && !etcd.ca().contains("-----BEGIN CERTIFICATE-----")) {
                p.add("etcd.ca: must be PEM certificates (-----BEGIN CERTIFICATE-----)");
            }
            if ((etcd.cert() == null) != (etcd.key() == null)) {
                p.add("etcd: cert and key go together");
            }
            if (etcd.cert() != null && !etcd.cert().contains("-----BEGIN CERTIFICATE-----")) {
                p.add("etcd.cert: must be a PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            if (etcd.key() != null && !etcd.key().contains("-----BEGIN PRIVATE KEY-----")) {
                p.add("etcd.key: must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
            }
        }
        if (drainGrace.isNegative()) {
            p.add("drainGrace: must not be negative, was " + drainGrace);
        }
        if (registrationTtl.compareTo(Duration.ofSeconds(2)) < 0 || registrationTtl.toNanos() % 1_000_000_000L != 0) {
            p.add("registrationTtl: must be whole seconds, at least 2 s, was " + registrationTtl);
        }
        return List.copyOf(p);
    }

    private void healthCheckProblems(List<String> p) {
        HealthCheck h = healthCheck;
        if (!h.path().startsWith("/")) {
            p.add("healthCheck.path: must start with '/', was '" + h.path() + "'");
        }
        positive(p, "healthCheck.interval", h.interval());
        positive(p, "healthCheck.timeout", h.timeout());
        if (h.gracePeriod().isNegative()) {
            p.add("healthCheck.gracePeriod: must not be negative, was " + h.gracePeriod());
        }
        if (h.consecutiveFailures() < 1) {
            p.add("healthCheck.consecutiveFailures: must be at least 1, was " + h.consecutiveFailures());
        }
    }

    private static void positive(List<String> p, String field, Duration d) {
        if (d.isNegative() || d.isZero()) {
            p.add(field + ": must be positive, was " + d);
        }
    }

    private static void required(List<String> p, String field, String value) {
        if (value == null || value.isBlank()) {
            p.add(field + ": required");
        }
    }

    private static void segment(List<String> p, String field, String value) {
        if (value == null || value.isBlank()) {
            p.add(field + ": required");
        } else if (value.contains("/") || !value.strip().equals(value)) {
            p.add(field + ": must not contain '/' or surrounding spaces, was '" + value + "'");
        }
    }
}
