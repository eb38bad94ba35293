package io.remit.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.testing.Await;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(EtcdExtension.class)
class FeatureFlagsIT {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureFlagsIT.class);

    private record Change(String name, Optional<Flag> before, Optional<Flag> after) {
    }

    @Test
    void aFlipIsSeenByAWatcherWithinOneSecond(EtcdServer etcd) {
        try (Etcd operator = TestEtcd.connect(etcd.endpoint());
             Etcd service = TestEtcd.connect(etcd.endpoint());
             FeatureFlags flags = new FeatureFlags(service).start()) {
            KeyValues kv = new KeyValues(operator);
            kv.put(Keys.flag("new-fees"), "{\"enabled\":false}");
            assertThat(flags.awaitReady(Duration.ofSeconds(5))).isTrue();
            Await.until("the initial flag", () -> flags.flag("new-fees").isPresent());
            assertThat(flags.isEnabled("new-fees")).isFalse();
            BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
            flags.subscribe((name, before, after) -> changes.add(new Change(name, before, after)));

            long flippedAt = System.nanoTime();
            kv.put(Keys.flag("new-fees"), "{\"enabled\":true,\"params\":{\"schools\":[\"s1\"]}}");
            Change change = Await.next("the flip", changes, Duration.ofSeconds(1));
            Duration latency = Duration.ofNanos(System.nanoTime() - flippedAt);
            LOG.info("flag flip reached the watcher in {} ms", latency.toMillis());

            assertThat(change).isEqualTo(new Change("new-fees",
                    Optional.of(new Flag("new-fees", false, Map.of())),
                    Optional.of(new Flag("new-fees", true, Map.of("schools", List.of("s1"))))));
            assertThat(flags.isEnabled("new-fees")).isTrue();
            assertThat(flags.flag("new-fees").orElseThrow().enabledFor("schools", "s1")).isTrue();

            kv.delete(Keys.flag("new-fees"));
            Change removed = Await.next("the removal", changes, Duration.ofSeconds(1));
            assertThat(removed.after()).isEmpty();
            assertThat(flags.isEnabled("new-fees")).isFalse();
        }
    }

    @Test
    void aMalformedFlagIsOffAndDoesNotDisturbTheOthers(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint());
             FeatureFlags flags = new FeatureFlags(client).start()) {
            KeyValues kv = new KeyValues(client);
            kv.put(Keys.flag("broken"), "{\"enabled\":\"sure\"}");
            kv.put(Keys.flag("fine"), "{\"enabled\":true}");
            Await.until("the valid flag", () -> flags.isEnabled("fine"));
            assertThat(flags.flag("broken")).isEmpty();
            assertThat(flags.isEnabled("broken")).isFalse();
            assertThat(flags.isEnabled("never-defined")).isFalse();
            assertThat(flags.flags()).containsOnlyKeys("fine");
        }
    }
}
