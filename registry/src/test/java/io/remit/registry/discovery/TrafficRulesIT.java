package io.remit.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.registry.testing.Await;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EtcdExtension.class)
class TrafficRulesIT {

    @Test
    void splitsAndExperimentsAreReadLiveAndABrokenRecordCountsAsAbsent(EtcdServer etcd) throws Exception {
        try (Etcd operator = TestEtcd.connect(etcd.endpoint());
             Etcd service = TestEtcd.connect(etcd.endpoint());
             TrafficRules rules = new TrafficRules(service).start()) {
            KeyValues kv = new KeyValues(operator);
            kv.put(Keys.traffic("fx"), "{\"versions\": {\"1.4.2\": 90, \"1.5.0\": 10}}");
            assertThat(rules.awaitReady(Duration.ofSeconds(5))).isTrue();
            Await.until("the split", () -> rules.splits().containsKey("fx"));
            assertThat(rules.splits().get("fx").versions()).isEqualTo(Map.of("1.4.2", 90, "1.5.0", 10));
            Map<String, TrafficSplit> before = rules.splits();
            assertThat(rules.splits()).as("the same map while nothing changes").isSameAs(before);

            kv.put(Keys.experiment("new-fees"), ExperimentTest.DOC);
            Await.until("the experiment", () -> rules.experiments().containsKey("new-fees"));
            assertThat(rules.experiments().get("new-fees").split()).isEqualTo(10);
            kv.put(Keys.experiment("new-fees"), ExperimentTest.DOC.replace("\"split\": 10", "\"split\": 50"));
            Await.until("the changed split", () -> rules.experiments().get("new-fees").split() == 50);

            // Shares that do not sum to 100 and an experiment without versions are left out.
            kv.put(Keys.traffic("fx"), "{\"versions\": {\"1.4.2\": 90}}");
            kv.put(Keys.experiment("broken"), "{\"split\": 10, \"cohort\": {\"field\": \"payerId\"}}");
            kv.put(Keys.traffic("payments"), "{\"versions\": {\"2.2.0\": 100}}");
            Await.until("payments' split", () -> rules.splits().containsKey("payments"));
            assertThat(rules.splits()).containsOnlyKeys("payments");
            assertThat(rules.experiments()).containsOnlyKeys("new-fees");

            kv.delete(Keys.experiment("new-fees"));
            Await.until("the experiment gone", () -> rules.experiments().isEmpty());
        }
    }
}
