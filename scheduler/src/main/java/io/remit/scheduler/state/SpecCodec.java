package io.remit.scheduler.state;

import io.remit.registry.etcd.SecretBox;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A spec as etcd holds it: the JSON {@link SpecParser} reads, with each secret env value sealed
 * (AES-256-GCM, {@link SecretBox}) under a key kept outside etcd, so secrets are in neither etcd's
 * WAL nor its snapshots. A sealed value reads {@code sealed:v1.<key id>.<data>} and is bound to its
 * service and variable name: moved to another service or variable, it does not open.
 *
 * <p>Without a key ({@link #plain()}) secrets are stored as given, as before; a spec stored that
 * way is still read, and sealed at its next write once a key is configured. Thread-safe.
 */
public final class SpecCodec {

    static final String SEALED = "sealed:";

    private final SecretBox box;

    private SpecCodec(SecretBox box) {
        this.box = box;
    }

    /** Seals secrets with the key derived from {@code secret}. */
    public static SpecCodec sealing(String secret) {
        return new SpecCodec(new SecretBox("remit-scheduler", secret));
    }

    /** Seals secrets with the key in {@code file} (its text, trimmed; at least 32 characters). */
    public static SpecCodec sealingWithKeyFile(Path file) {
        try {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 32) {
                throw new IllegalArgumentException("the secrets key in " + file + " is shorter than 32 characters");
            }
            return sealing(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secrets key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores secrets as they are: only where no key can be configured. */
    public static SpecCodec plain() {
        return new SpecCodec(null);
    }

    public boolean seals() {
        return box != null;
    }

    /** The text to store for {@code spec}. */
    public String encode(ServiceSpec spec) {
        if (box == null || spec.env().values().stream().noneMatch(EnvValue::secret)) {
            return SpecParser.toJson(spec);
        }
        Map<String, EnvValue> env = new TreeMap<>();
        spec.env().forEach((name, value) -> env.put(name, value.secret()
                ? EnvValue.secret(SEALED + box.seal(value.value(), context(spec.id(), name))) : value));
        return SpecParser.toJson(withEnv(spec, env));
    }

    /**
     * The spec stored as {@code text}, its secrets opened.
     *
     * @throws InvalidSpecException when it is no valid spec, or a sealed value does not open (another
     *     key, altered): the violation names the variable, never the value
     */
    public ServiceSpec decode(String text) throws InvalidSpecException {
        ServiceSpec spec = SpecParser.parseJson(text);
        if (spec.env().values().stream().noneMatch(v -> v.secret() && v.value().startsWith(SEALED))) {
            return spec;
        }
        Map<String, EnvValue> env = new TreeMap<>();
        for (Map.Entry<String, EnvValue> e : spec.env().entrySet()) {
            EnvValue v = e.getValue();
            if (!v.secret() || !v.value().startsWith(SEALED)) {
                env.put(e.getKey(), v);
                continue;
            }
            if (box == null) {
                throw new InvalidSpecException(List.of(new Violation("env." + e.getKey(),
                        "is sealed, and this scheduler has no secrets key (secretsKeyFile)")));
            }
            try {
                env.put(e.getKey(), EnvValue.secret(box.open(v.value().substring(SEALED.length()), context(spec.id(), e.getKey()))));
            } catch (SecretBox.SecretException ex) {
                throw new InvalidSpecException(List.of(new Violation("env." + e.getKey(), ex.getMessage())));
            }
        }
        return withEnv(spec, env);
    }

    private static String context(String service, String variable) {
        return "services/" + service + "/env/" + variable;
    }

    private static ServiceSpec withEnv(ServiceSpec s, Map<String, EnvValue> env) {
        return new ServiceSpec(s.id(), s.version(), s.artifacts(), s.config(), s.instances(), s.resources(), s.jvmOptions(),
                env, s.healthCheck(), s.constraints(), s.dependencies(), s.labels(), s.command(), s.args(), s.signals(), s.deployment());
    }
}
