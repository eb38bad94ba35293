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
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdExtension.class)
class ConfigOverlayIT {

    @Test
    void typedAccessorsReadTheOverlayAndFallBackToDefaults(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint());
             ConfigOverlay config = new ConfigOverlay(client, "fx")) {
            KeyValues kv = new KeyValues(client);
            String prefix = Keys.configPrefix("fx");
            kv.put(prefix + "fx/feePercent", "2");
            kv.put(prefix + "fx/maxQuoteMinor", " 1500000000000 ");
            kv.put(prefix + "fx/quotesEnabled", "TRUE");
            kv.put(prefix + "fx/quoteTtl", "90s");
            kv.put(prefix + "fx/provider", "ecb");
            kv.put(prefix + "fx/retries", "three");
            kv.put(Keys.configPrefix("fx2") + "fx/feePercent", "9"); // another service's overlay
            config.start();
            assertThat(config.awaitReady(Duration.ofSeconds(5))).isTrue();

            assertThat(config.getInt("fx/feePercent", 1)).isEqualTo(2);
            assertThat(config.getLong("fx/maxQuoteMinor", 0)).isEqualTo(1_500_000_000_000L);
            assertThat(config.getBoolean("fx/quotesEnabled", false)).isTrue();
            assertThat(config.getDuration("fx/quoteTtl", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
            assertThat(config.getString("fx/provider", "none")).isEqualTo("ecb");
            assertThat(config.getInt("fx/retries", 3)).as("unparsable: the default").isEqualTo(3);
            assertThat(config.getBoolean("fx/provider", true)).isTrue();
            assertThat(config.getInt("fx/absent", 7)).isEqualTo(7);
            assertThat(config.values()).hasSize(6);
        }
    }

    @Test
    void watchGivesTheCurrentValueThenEachChange(EtcdServer etcd) {
        try (Etcd client = TestEtcd.connect(etcd.endpoint());
             ConfigOverlay config = new ConfigOverlay(client, "schools").start()) {
            KeyValues kv = new KeyValues(client);
            String key = Keys.configPrefix("schools") + "limits/perDay";
            BlockingQueue<Optional<String>> values = new LinkedBlockingQueue<>();
            config.watch("limits/perDay", values::add);
            assertThat(Await.next("the current (absent) value", values)).isEmpty();

            kv.put(key, "10");
            assertThat(Await.next("the first value", values)).contains("10");
            kv.put(Keys.configPrefix("schools") + "other", "x"); // a change elsewhere is not reported
            kv.put(key, "20");
            assertThat(Await.next("the change", values)).contains("20");
            kv.delete(key);
            assertThat(Await.next("the removal", values)).isEmpty();
            assertThat(config.getInt("limits/perDay", 5)).isEqualTo(5);
            assertThat(values).isEmpty();
        }
    }
}
