package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.testing.Await;
import io.remit.registry.testing.TcpProxy;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The watch-fed cache against a real etcd: ordering, bad values, partitions and compaction. */
@ExtendWith(EtcdExtension.class)
class PrefixCacheIT {

    private static final Logger LOG = LoggerFactory.getLogger(PrefixCacheIT.class);
    private static final ValueDecoder<Integer> INTS = (key, value) -> Integer.parseInt(new String(value, StandardCharsets.UTF_8));

    private Etcd writer;
    private KeyValues kv;
    private String prefix;

    @BeforeEach
    void connect(EtcdServer etcd, TestInfo test) {
        writer = TestEtcd.connect(etcd.endpoint());
        kv = new KeyValues(writer);
        prefix = "/remit/test/" + test.getTestMethod().orElseThrow().getName() + "/";
    }

    @AfterEach
    void disconnect() {
        writer.close();
    }

    @Test
    void readsThePrefixThenAppliesPutsAndDeletesInOrder(EtcdServer etcd) {
        kv.put(prefix + "a", "1");
        kv.put(prefix + "b", "2");
        kv.put(prefix.substring(0, prefix.length() - 1) + "-outside", "9"); // shares the text, not the prefix
        try (Etcd reader = TestEtcd.connect(etcd.endpoint());
             PrefixCache<Integer> cache = new PrefixCache<>(reader, prefix, INTS)) {
            List<Map<String, Integer>> seen = new CopyOnWriteArrayList<>();
            cache.subscribe(seen::add);
            cache.start();
            assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
            assertThat(cache.snapshot()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
            long firstRevision = cache.revision();

            for (int i = 1; i <= 50; i++) {
                kv.put(prefix + "counter", Integer.toString(i));
            }
            kv.delete(prefix + "a");
            Await.until("the last write and the delete", () -> Integer.valueOf(50).equals(cache.snapshot().get("counter"))
                    && !cache.snapshot().containsKey("a"));
            assertThat(cache.snapshot()).containsExactly(Map.entry("b", 2), Map.entry("counter", 50));
            assertThat(cache.revision()).isGreaterThan(firstRevision);

            Await.until("the listener to catch up", () -> !seen.isEmpty() && seen.get(seen.size() - 1).equals(cache.snapshot()));
            assertThat(seen.get(0)).isEqualTo(Map.of("a", 1, "b", 2));
            List<Integer> counters = new ArrayList<>();
            for (Map<String, Integer> snapshot : seen) {
                Integer c = snapshot.get("counter");
                if (c != null && (counters.isEmpty() || !counters.get(counters.size() - 1).equals(c))) {
                    counters.add(c);
                }
            }
            assertThat(counters).as("counter values in the order written").isSorted().endsWith(50);
            assertThat(seen).allSatisfy(s -> assertThat(s).doesNotContainKey("-outside"));
        }
    }

    @Test
    void aValueThatDoesNotDecodeIsSkippedWithoutStoppingTheCache(EtcdServer etcd) {
        kv.put(prefix + "good", "1");
        kv.put(prefix + "bad", "not a number");
        try (PrefixCache<Integer> cache = new PrefixCache<>(writer, prefix, INTS).start()) {
            assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
            assertThat(cache.snapshot()).containsExactly(Map.entry("good", 1));

            kv.put(prefix + "good", "oops");
            kv.put(prefix + "later", "3");
            Await.until("the later key", () -> cache.snapshot().containsKey("later"));
            assertThat(cache.snapshot()).as("a key whose new value is bad leaves the snapshot")
                    .containsExactly(Map.entry("later", 3));

            kv.put(prefix + "bad", "2");
            Await.until("the repaired key", () -> Integer.valueOf(2).equals(cache.snapshot().get("bad")));
        }
    }

    @Test
    void aLateListenerFirstGetsTheCurrentSnapshot() {
        kv.put(prefix + "x", "1");
        try (PrefixCache<Integer> cache = new PrefixCache<>(writer, prefix, INTS).start()) {
            assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
            BlockingQueue<Map<String, Integer>> seen = new LinkedBlockingQueue<>();
            Subscription subscription = cache.subscribe(seen::add);
            assertThat(Await.next("the current snapshot", seen)).isEqualTo(Map.of("x", 1));
            kv.put(prefix + "x", "2");
            assertThat(Await.next("the change", seen)).isEqualTo(Map.of("x", 2));
            subscription.close();
            kv.put(prefix + "x", "3");
            Await.until("the cache to see 3", () -> Integer.valueOf(3).equals(cache.snapshot().get("x")));
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void survivesCompactionOfTheRevisionsItMissedWhileCutOff(EtcdServer etcd) {
        for (int i = 0; i < 20; i++) {
            kv.put(prefix + "k" + i, Integer.toString(i));
        }
        try (TcpProxy proxy = TcpProxy.start(etcd.clientPort());
             Etcd reader = TestEtcd.connect(proxy.endpoint());
             PrefixCache<Integer> cache = new PrefixCache<>(reader, prefix, INTS)) {
            List<Map<String, Integer>> seen = new CopyOnWriteArrayList<>();
            cache.subscribe(seen::add);
            cache.start();
            assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
            Await.until("the watch to be established", () -> cache.isWatching());
            long watchedFrom = cache.revision() + 1;

            proxy.cut();
            Await.until("the cache to notice the cut", () -> !cache.isWatching());
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 20; i++) {
                    kv.put(prefix + "k" + i, Integer.toString(round * 100 + i));
                }
            }
            for (int i = 0; i < 20; i += 3) {
                kv.delete(prefix + "k" + i);
            }
            kv.put(prefix + "new", "7");
            long head = kv.put("/remit/test/elsewhere", "x");
            writer.client().getKVClient().compact(head).join();
            for (KeyValue v : kv.list(prefix)) {
                expected.put(v.key().substring(prefix.length()), Integer.parseInt(v.string()));
            }
            assertThat(head).isGreaterThan(watchedFrom + 200);

            proxy.restore();
            Duration caughtUp = Await.until("the cache to re-read after compaction", Duration.ofSeconds(20),
                    () -> cache.snapshot().equals(expected));
            LOG.info("caught up {} ms after the proxy was restored (compacted at {}, watch was at {})",
                    caughtUp.toMillis(), head, watchedFrom);
            assertThat(cache.relists()).as("re-read because the missed revisions were compacted").isEqualTo(1);
            assertThat(cache.revision()).isGreaterThanOrEqualTo(head);
            Await.until("the listener to get the re-read snapshot", () -> seen.get(seen.size() - 1).equals(expected));
            assertThat(seen).as("listeners saw the initial state, then the consistent re-read, nothing between")
                    .hasSize(2);

            kv.put(prefix + "after", "8");
            Await.until("changes after the re-read", Duration.ofSeconds(5),
                    () -> Integer.valueOf(8).equals(cache.snapshot().get("after")));
        }
    }

    @Test
    void resumesFromTheNextRevisionAfterABriefCut(EtcdServer etcd) {
        try (TcpProxy proxy = TcpProxy.start(etcd.clientPort());
             Etcd reader = TestEtcd.connect(proxy.endpoint());
             PrefixCache<Integer> cache = new PrefixCache<>(reader, prefix, INTS).start()) {
            assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
            Await.until("the watch to be established", () -> cache.isWatching());
            proxy.cut();
            Await.until("the cache to notice the cut", () -> !cache.isWatching());
            for (int i = 1; i <= 30; i++) {
                kv.put(prefix + "n", Integer.toString(i));
            }
            kv.put(prefix + "m", "1");
            proxy.restore();
            Await.until("the writes made during the cut", Duration.ofSeconds(20),
                    () -> cache.snapshot().equals(Map.of("n", 30, "m", 1)));
            assertThat(cache.relists()).as("resumed by watching, not by re-reading").isZero();
        }
    }
}
