package io.remit.scheduler.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdAccessPolicy;
import io.remit.registry.etcd.EtcdAuth;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each service's own etcd users, made by the scheduler when etcd runs with authentication: an
 * executor user that may only write the service's discovery records and a service user that
 * reads its config, the flags and discovery, and keeps its own data ({@link EtcdAccessPolicy}).
 * The scheduler gives them to the executor in the launch spec instead of its own credentials.
 *
 * <p>Users and roles are made with a separate credential of etcd's {@code root} role (only root
 * may change them), the admin settings; the scheduler's own user stays {@code remit-scheduler}
 * (read and write under {@code /remit/}). The passwords are random (24 bytes) and kept in etcd at
 * {@code /remit/access/<id>}, sealed with the scheduler's secrets key ({@link SecretBox}, each
 * bound to its service and user), so every scheduler of the cluster gives the same ones and they
 * are in neither etcd's WAL nor its snapshots in clear.
 *
 * <p>{@link #credentials} provisions a service the first time this scheduler launches it, and is
 * idempotent: roles are set to exactly their grants; an existing user keeps its password unless
 * the stored one could not be read (deleted to rotate it, or sealed with another key), when new
 * passwords are made and set (instances still signed in with the old ones lose their sessions
 * and should be restarted). Thread-safe; blocking (a few etcd calls, once per service).
 *
 * <p>{@link #revoke} takes a deleted service's users, roles and stored passwords away again, once
 * its instances are gone ({@link EtcdAccessSweep} calls it on the leader). The stored passwords
 * are made before the users and removed after them, so {@code /remit/access/<id>} marks every
 * service that may still have users: a scheduler that dies half-way leaves the marker, and the
 * next sweep (on this leader or its successor) finishes the job.
 */
public final class EtcdAccess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdAccess.class);
    private static final String PURPOSE = "remit-etcd-access";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The users of one service and their passwords; {@link #toString()} shows no password. */
    public record Credentials(String executorUser, String executorPassword, String serviceUser, String servicePassword) {
        @Override
        public String toString() {
            return "Credentials[executorUser=" + executorUser + ", serviceUser=" + serviceUser + "]";
        }
    }

    private final Etcd admin;
    private final EtcdAuth auth;
    private final KeyValues kv;
    private final SecretBox box;
    private final Map<String, Credentials> provisioned = new ConcurrentHashMap<>();

    /**
     * @param adminSettings a connection as a user with etcd's root role (made now, used on first need)
     * @param kv the scheduler's own connection, where the sealed passwords are kept
     * @param secret the scheduler's secrets key
     */
    public EtcdAccess(EtcdSettings adminSettings, KeyValues kv, String secret) {
        this.admin = Etcd.connect(adminSettings);
        this.auth = new EtcdAuth(admin);
        this.kv = kv;
        this.box = new SecretBox(PURPOSE, secret);
    }

    /** As above, with the secrets key read from {@code keyFile} (its text, trimmed; at least 32 characters). */
    public static EtcdAccess withKeyFile(EtcdSettings adminSettings, KeyValues kv, Path keyFile) {
        String secret;
        try {
            secret = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secrets key file " + keyFile + ": " + e.getMessage(), e);
        }
        if (secret.length() < 32) {
            throw new IllegalArgumentException("the secrets key in " + keyFile + " is shorter than 32 characters");
        }
        return new EtcdAccess(adminSettings, kv, secret);
    }

    /** The service's users, made (or checked) in etcd the first time they are asked for. */
    public Credentials credentials(String service) {
        Credentials known = provisioned.get(service);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = provisioned.get(service);
            if (known != null) {
                return known;
            }
            Credentials c = provision(service);
            provisioned.put(service, c);
            return c;
        }
    }

    private Credentials provision(String service) {
        EtcdAccessPolicy.Role executor = EtcdAccessPolicy.executor(service);
        EtcdAccessPolicy.Role instances = EtcdAccessPolicy.service(service);
        auth.ensureRole(executor);
        auth.ensureRole(instances);
        Passwords passwords = passwords(service);
        boolean addedExecutor = auth.ensureUser(executor.name(), passwords.executor, executor.name(), passwords.fresh);
        boolean addedService = auth.ensureUser(instances.name(), passwords.service, instances.name(), passwords.fresh);
        LOG.info("etcd users of {}: {} ({}), {} ({})", service, executor.name(), describe(addedExecutor, passwords.fresh),
                instances.name(), describe(addedService, passwords.fresh));
        return new Credentials(executor.name(), passwords.executor, instances.name(), passwords.service);
    }

    private static String describe(boolean added, boolean fresh) {
        return added ? "added" : fresh ? "new password" : "present";
    }

    private record Passwords(String executor, String service, boolean fresh) {
    }

    /** The stored passwords, or new ones stored now (put-if-absent: a scheduler that loses the race takes the winner's). */
    private Passwords passwords(String service) {
        String key = Keys.access(service);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<KeyValue> stored = kv.get(key);
            if (stored.isPresent()) {
                Optional<Passwords> opened = open(service, stored.get());
                if (opened.isPresent()) {
                    return opened.get();
                }
            }
            Passwords fresh = new Passwords(random(), random(), true);
            ObjectNode json = Json.MAPPER.createObjectNode()
                    .put("executor", box.seal(fresh.executor, context(service, "executor")))
                    .put("service", box.seal(fresh.service, context(service, "service")));
            String value = json.toString();
            boolean written = stored.isEmpty() ? kv.putIfAbsent(key, value)
                    : kv.compareAndSet(key, stored.get().modRevision(), value);
            if (written) {
                return fresh;
            }
        }
        throw new IllegalStateException("the etcd passwords of " + service + " at " + key + " keep changing under this scheduler");
    }

    private Optional<Passwords> open(String service, KeyValue stored) {
        try {
            JsonNode json = Json.MAPPER.readTree(stored.string());
            return Optional.of(new Passwords(box.open(json.path("executor").asText(null), context(service, "executor")),
                    box.open(json.path("service").asText(null), context(service, "service")), false));
        } catch (IOException | RuntimeException e) {
            LOG.warn("The etcd passwords of {} at {} do not open ({}); making new ones", service, stored.key(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String context(String service, String user) {
        return service + "/" + user;
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Forgets which services this scheduler provisioned, so that each is checked in etcd again at
     * its next launch: for a new term, since another leader may have removed and made users since.
     */
    public void forgetProvisioned() {
        provisioned.clear();
    }

    /** The services whose passwords are stored ({@code /remit/access/<id>}): those that may have users. */
    public java.util.Set<String> provisionedServices() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (String key : kv.keysUnder(Keys.ACCESS)) {
            String id = key.substring(Keys.ACCESS.length());
            if (Keys.isSegment(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Removes the etcd users and roles of a deleted service and then its stored passwords, when
     * the service has no spec in etcd and {@code instancesGone} (asked after that check) says none
     * of its instances is left to use them; else changes nothing. Idempotent: what is already gone
     * is skipped. Holds the lock {@link #credentials} provisions under, so a service created again
     * meanwhile is provisioned afresh (new users, new passwords) after this returns.
     *
     * @return whether the users were removed
     */
    public synchronized boolean revoke(String service, java.util.function.BooleanSupplier instancesGone) {
        provisioned.remove(service);
        if (kv.get(Keys.serviceSpec(service)).isPresent() || !instancesGone.getAsBoolean()) {
            return false;
        }
        auth.deleteUserAndRole(EtcdAccessPolicy.executorUser(service));
        auth.deleteUserAndRole(EtcdAccessPolicy.serviceUser(service));
        // Only while there is still no spec: one made meanwhile keeps its passwords, and its first
        // launch makes the users again with them.
        boolean forgotten = kv.txn().ifAbsent(Keys.serviceSpec(service)).delete(Keys.access(service)).commit();
        LOG.info("{} is deleted and its instances gone: removed its etcd users {} and {}{}", service,
                EtcdAccessPolicy.executorUser(service), EtcdAccessPolicy.serviceUser(service),
                forgotten ? " and their passwords" : " (its spec is back: the passwords stay)");
        return true;
    }

    @Override
    public void close() {
        admin.close();
    }
}
