package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.Specs;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Secret env values in a real etcd: sealed there, opened for the scheduler, bound to their place. */
@ExtendWith(EtcdExtension.class)
class SecretsAtRestIT {

    static final String SECRET = "hunter2-the-db-password";
    static final String KEY = "0123456789abcdef0123456789abcdef";
    static final String PLAIN = "eu-west-plain-marker";

    Etcd etcd;
    KeyValues kv;

    @BeforeEach
    void connect(EtcdServer server) {
        etcd = Etcd.connect(EtcdSettings.of(server.endpoint()));
        kv = new KeyValues(etcd);
        kv.list(Keys.SERVICES).forEach(e -> kv.delete(e.key()));
        kv.list(Keys.REVISIONS).forEach(e -> kv.delete(e.key()));
    }

    @AfterEach
    void close() {
        etcd.close();
    }

    static ServiceSpec withSecret(String id) {
        return withEnv(Specs.minimal(id), Map.of("DB_PASSWORD", EnvValue.secret(SECRET), "REGION", EnvValue.plain(PLAIN)));
    }

    static ServiceSpec withEnv(ServiceSpec s, Map<String, EnvValue> env) {
        return new ServiceSpec(s.id(), s.version(), s.artifacts(), s.config(), s.instances(), s.resources(), s.jvmOptions(),
                env, s.healthCheck(), s.constraints(), s.dependencies(), s.labels());
    }

    @Test
    void aSecretIsNotInEtcdNorInItsDataFilesButTheSchedulerReadsIt(EtcdServer server) throws Exception {
        SpecStore store = new io.remit.scheduler.state.EtcdSpecStore(etcd, SpecCodec.sealing(KEY));
        assertThat(store.create(withSecret("payments"))).isTrue();
        store.put(withEnv(withSecret("payments"), Map.of("DB_PASSWORD", EnvValue.secret(SECRET),
                "REGION", EnvValue.plain(PLAIN + "-2"))), 0);   // a second revision: sealed there too
        assertThat(store.revisions("payments")).hasSize(2);
        kv.list(Keys.REVISIONS).forEach(e -> assertThat(e.string()).as(e.key()).doesNotContain(SECRET).contains("sealed:v1."));

        String raw = kv.get(Keys.serviceSpec("payments")).orElseThrow().string();
        assertThat(raw).doesNotContain(SECRET).contains("sealed:v1.").contains("\"REGION\":\"" + PLAIN + "-2\"");
        kv.list(Keys.SERVICES).forEach(e -> assertThat(e.string()).as(e.key()).doesNotContain(SECRET));
        assertThat(etcdctlDump(server)).doesNotContain(SECRET);
        // Only this test writes the plain marker, and no test ever writes this secret unsealed.
        String files = dataFiles(server.dataDir().resolve("data"));
        assertThat(files.contains(PLAIN)).as("the plain value is in etcd's WAL (so the scan sees values)").isTrue();
        assertThat(files.contains(SECRET)).as("the secret is in etcd's WAL or snapshots").isFalse();

        assertThat(store.get("payments").orElseThrow().spec().env().get("DB_PASSWORD")).isEqualTo(EnvValue.secret(SECRET));
        assertThat(store.revision("payments", 1).orElseThrow().spec().env().get("DB_PASSWORD")).as("opened for rollback")
                .isEqualTo(EnvValue.secret(SECRET));
        try (SpecStore.Watch watch = store.watch(java.time.Duration.ofSeconds(10))) {
            assertThat(watch.current().get("payments").env().get("DB_PASSWORD")).as("what the leader's watch reads")
                    .isEqualTo(EnvValue.secret(SECRET));
        }
    }

    @Test
    void aSealedValueDoesNotOpenWithAnotherKeyOrUnderAnotherService() {
        new io.remit.scheduler.state.EtcdSpecStore(etcd, SpecCodec.sealing(KEY)).create(withSecret("payments"));
        String raw = kv.get(Keys.serviceSpec("payments")).orElseThrow().string();

        assertThat(new io.remit.scheduler.state.EtcdSpecStore(etcd, SpecCodec.sealing("another-key-another-key-another-key")).get("payments")).isEmpty();
        assertThat(new io.remit.scheduler.state.EtcdSpecStore(etcd, SpecCodec.plain()).get("payments")).isEmpty();

        kv.put(Keys.serviceSpec("fx"), raw.replace("\"id\":\"payments\"", "\"id\":\"fx\""));
        assertThat(new io.remit.scheduler.state.EtcdSpecStore(etcd, SpecCodec.sealing(KEY)).get("fx")).as("moved to another service").isEmpty();
    }

    @Test
    void aSpecStoredInPlainTextIsReadAndSealedAtItsNextWrite() {
        ServiceSpec legacy = withEnv(withSecret("payments"), Map.of("DB_PASSWORD", EnvValue.secret("legacy-plain-secret")));
        kv.put(Keys.serviceSpec("payments"), SpecParser.toJson(legacy));
        SpecStore store = new io.remit.scheduler.state.EtcdSpecStore(etcd, SpecCodec.sealing(KEY));
        SpecStore.Stored old = store.get("payments").orElseThrow();
        assertThat(old.spec().env().get("DB_PASSWORD").value()).isEqualTo("legacy-plain-secret");

        assertThat(store.put(old.spec(), old.modRevision())).isEqualTo(SpecStore.Outcome.REPLACED);
        assertThat(kv.get(Keys.serviceSpec("payments")).orElseThrow().string()).doesNotContain("legacy-plain-secret");
    }

    @Test
    void theKeyFileMustHoldAProperKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secrets.key");
        Files.writeString(file, KEY + "\n");
        SpecCodec codec = SpecCodec.sealingWithKeyFile(file);
        assertThat(codec.decode(codec.encode(withSecret("payments")))).isEqualTo(withSecret("payments"));
        Files.writeString(file, "short");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecCodec.sealingWithKeyFile(file))
                .hasMessageContaining("shorter than 32");
    }

    /** The bytes of every file under etcd's data folder, as ISO-8859-1 text (one char a byte). */
    private static String dataFiles(Path dir) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** Every key and value etcd holds, as etcdctl prints them (what a backup would carry). */
    private static String etcdctlDump(EtcdServer server) throws Exception {
        Process p = new ProcessBuilder("etcdctl", "--endpoints", server.endpoint(), "get", "--prefix", "/")
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.toString();
    }
}
