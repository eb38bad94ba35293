package io.remit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.testkit.Await;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A service's own data area on a real etcd: names relative to /remit/data/<service>/, guarded writes, the watched mirror. */
@ExtendWith(EtcdExtension.class)
class ServiceDataIT {

    private static ServiceData area(EtcdServer etcd, String service) {
        return ServiceData.connect(new RemitSettings(service, null, null, etcd.endpoint(), null, null, null));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void valuesLiveUnderTheServicesOwnPrefixAndAreNamedRelativeToIt(EtcdServer etcd) {
        try (ServiceData schools = area(etcd, "schools-a"); ServiceData other = area(etcd, "schools-a-other")) {
            assertThat(schools.prefix()).isEqualTo("/remit/data/schools-a/");
            schools.put("mit", "{\"name\":\"MIT\"}");
            schools.put("eth", "{\"name\":\"ETH\"}");
            other.put("mit", "elsewhere");

            assertThat(schools.list()).extracting(ServiceData.Entry::name).containsExactly("eth", "mit");
            assertThat(schools.get("mit").orElseThrow().string()).isEqualTo("{\"name\":\"MIT\"}");
            assertThat(other.list()).extracting(ServiceData.Entry::string).containsExactly("elsewhere");
            assertThat(schools.delete("eth")).isTrue();
            assertThat(schools.get("eth")).isEmpty();
            assertThatThrownBy(() -> schools.put("", "x")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void guardedWritesRefuseWhatChangedMeanwhile(EtcdServer etcd) {
        try (ServiceData data = area(etcd, "guarded")) {
            assertThat(data.putIfAbsent("k", utf8("first"))).isTrue();
            assertThat(data.putIfAbsent("k", utf8("second"))).isFalse();
            ServiceData.Entry read = data.get("k").orElseThrow();

            data.put("k", "changed by another instance");

            assertThat(data.compareAndSet("k", read.revision(), utf8("stale"))).isFalse();
            ServiceData.Entry now = data.get("k").orElseThrow();
            assertThat(now.string()).isEqualTo("changed by another instance");
            assertThat(data.compareAndSet("k", now.revision(), utf8("current"))).isTrue();
            assertThat(data.get("k").orElseThrow().string()).isEqualTo("current");
        }
    }

    @Test
    void theMirrorFollowsEveryWriteAndLeavesOutWhatItCannotRead(EtcdServer etcd) {
        try (ServiceData data = area(etcd, "mirrored");
             DataMirror<Integer> mirror = data.mirror((name, value) -> Integer.parseInt(new String(value, StandardCharsets.UTF_8)))) {
            data.put("a", "1");
            assertThat(mirror.start().awaitReady(Duration.ofSeconds(5))).isTrue();
            assertThat(mirror.snapshot()).isEqualTo(Map.of("a", 1));

            data.put("b", "2");
            data.put("broken", "not a number");
            data.delete("a");
            data.put("c", "3"); // written last: once the mirror shows it, it has seen the rest (watch order)

            Await.until("the mirror to show c", () -> mirror.get("c").isPresent());
            assertThat(mirror.snapshot()).isEqualTo(Map.of("b", 2, "c", 3));
        }
    }
}
