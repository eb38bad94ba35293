package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdExtension.class)
class KeyValuesIT {

    @Test
    void getPutAndDelete(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint())) {
            KeyValues kv = new KeyValues(client);
            assertThat(kv.get(Keys.FRAMEWORK_ID)).isEmpty();
            long revision = kv.put(Keys.FRAMEWORK_ID, "fw-1");
            KeyValue read = kv.get(Keys.FRAMEWORK_ID).orElseThrow();
            assertThat(read.string()).isEqualTo("fw-1");
            assertThat(read.modRevision()).isEqualTo(revision);
            assertThat(read.createRevision()).isEqualTo(revision);
            assertThat(read.version()).isEqualTo(1);
            assertThat(kv.delete(Keys.FRAMEWORK_ID)).isTrue();
            assertThat(kv.delete(Keys.FRAMEWORK_ID)).isFalse();
            assertThat(kv.get(Keys.FRAMEWORK_ID)).isEmpty();
        }
    }

    @Test
    void conditionalWrites(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint())) {
            KeyValues kv = new KeyValues(client);
            String key = Keys.serviceSpec("fx");
            assertThat(kv.putIfAbsent(key, "{\"v\":1}")).isTrue();
            assertThat(kv.putIfAbsent(key, "{\"v\":2}")).isFalse();
            KeyValue v1 = kv.get(key).orElseThrow();
            assertThat(v1.string()).isEqualTo("{\"v\":1}");

            assertThat(kv.compareAndSet(key, v1.modRevision(), "{\"v\":3}")).isTrue();
            assertThat(kv.compareAndSet(key, v1.modRevision(), "{\"v\":4}")).as("stale revision").isFalse();
            KeyValue v3 = kv.get(key).orElseThrow();
            assertThat(v3.string()).isEqualTo("{\"v\":3}");
            assertThat(v3.createRevision()).isEqualTo(v1.createRevision());

            assertThat(kv.compareAndDelete(key, v1.modRevision())).isFalse();
            assertThat(kv.compareAndDelete(key, v3.modRevision())).isTrue();
            assertThat(kv.compareAndDelete(key, 0)).as("absent key").isFalse();
            assertThat(kv.compareAndSet(key, 0, "{\"v\":5}")).as("0 means absent").isTrue();
        }
    }

    @Test
    void listReturnsAPrefixInKeyOrderAcrossPages(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint())) {
            KeyValues kv = new KeyValues(client);
            int n = Listing.PAGE * 2 + 7;
            for (int i = 0; i < n; i++) {
                kv.put(Keys.task(String.format("t%04d", i)), Integer.toString(i));
            }
            kv.put("/remit/tasksX", "outside");
            var tasks = kv.list(Keys.TASKS);
            assertThat(tasks).hasSize(n);
            assertThat(tasks.get(0).key()).isEqualTo("/remit/tasks/t0000");
            assertThat(tasks.get(n - 1).string()).isEqualTo(Integer.toString(n - 1));
            assertThat(tasks).isSortedAccordingTo((a, b) -> a.key().compareTo(b.key()));
        }
    }

    @Test
    void aTransactionWritesEveryKeyOrNone(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint())) {
            KeyValues kv = new KeyValues(client);
            String spec = "/remit/txn-test/spec";
            String first = "/remit/txn-test/revisions/1";
            assertThat(kv.txn().ifAbsent(spec).ifAbsent(first).put(spec, "a").put(first, "a").commit()).isTrue();
            long at = kv.get(spec).orElseThrow().modRevision();

            String second = "/remit/txn-test/revisions/2";
            assertThat(kv.txn().ifModRevision(spec, at).ifAbsent(first).put(spec, "b").put(second, "b").commit())
                    .as("one condition fails: revision 1 exists").isFalse();
            assertThat(kv.get(spec).orElseThrow().string()).as("nothing written").isEqualTo("a");
            assertThat(kv.get(second)).isEmpty();

            assertThat(kv.txn().ifModRevision(spec, at).ifAbsent(second).put(spec, "b").put(second, "b").commit()).isTrue();
            assertThat(kv.get(spec).orElseThrow().string()).isEqualTo("b");
            assertThat(kv.get(second).orElseThrow().modRevision()).as("one etcd revision for both")
                    .isEqualTo(kv.get(spec).orElseThrow().modRevision());
            assertThat(kv.txn().ifModRevision(spec, at).delete(spec).commit()).as("stale").isFalse();
        }
    }

    @Test
    void theKeysUnderAPrefixAreListedWithoutTheirValuesAndNothingOutsideIt(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint())) {
            KeyValues kv = new KeyValues(client);
            String prefix = "/remit/keys-test/";
            assertThat(kv.keysUnder(prefix)).isEmpty();
            for (int i = 1; i <= 12; i++) {
                kv.put(prefix + i, "r" + i);
            }
            kv.put("/remit/keys-test-other/99", "outside");
            assertThat(kv.keysUnder(prefix)).hasSize(12).contains(prefix + "1", prefix + "12")
                    .doesNotContain("/remit/keys-test-other/99");
        }
    }

    @Test
    void anUnreachableEtcdFailsWithinTheRequestTimeout() throws Exception {
        int nobody = io.remit.testkit.EtcdServer.freePort();
        try (Etcd client = Etcd.connect(EtcdSettings.of("http://127.0.0.1:" + nobody)
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(800)))) {
            KeyValues kv = new KeyValues(client);
            long start = System.nanoTime();
            assertThatThrownBy(() -> kv.get("/remit/x")).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("get /remit/x");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
