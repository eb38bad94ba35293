package io.remit.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.remit.registry.etcd.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceJsonTest {

    private static final Instance FX = new Instance("fx", "fx.7f3a", "10.0.0.5",
            Map.of("http", 31001, "admin", 31002), "1.4.2", "a", "a1b2-S0", Instant.parse("2026-11-28T10:15:30Z"));

    private static final String FX_JSON = "{\"service\":\"fx\",\"taskId\":\"fx.7f3a\",\"host\":\"10.0.0.5\","
            + "\"ports\":{\"admin\":31002,\"http\":31001},\"version\":\"1.4.2\",\"zone\":\"a\","
            + "\"agentId\":\"a1b2-S0\",\"registeredAt\":\"2026-11-28T10:15:30Z\"}";

    @Test
    void writesTheDocumentedShape() {
        assertThat(new String(Json.write(FX), StandardCharsets.UTF_8)).isEqualTo(FX_JSON);
    }

    @Test
    void readsWhatItWrites() throws Exception {
        assertThat(Json.instance(Json.write(FX))).isEqualTo(FX);
        assertThat(Json.instance(FX_JSON.getBytes(StandardCharsets.UTF_8))).isEqualTo(FX);
    }

    @Test
    void zoneIsOptionalAndLeftOutWhenNull() throws Exception {
        Instance noZone = new Instance("fx", "t1", "h", Map.of("http", 1), "1", null, "ag", Instant.EPOCH);
        String json = new String(Json.write(noZone), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("zone");
        assertThat(Json.instance(json.getBytes(StandardCharsets.UTF_8)).zone()).isNull();
    }

    @Test
    void unknownFieldsFromNewerWritersAreIgnored() throws Exception {
        String json = FX_JSON.substring(0, FX_JSON.length() - 1) + ",\"canary\":3,\"tags\":[\"x\"]}";
        assertThat(Json.instance(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(FX);
    }

    @Test
    void aWeightIsOptionalAndARecordWithoutOneWeighsAHundred() throws Exception {
        assertThat(FX.weight()).isNull();
        assertThat(FX.effectiveWeight()).isEqualTo(100);
        String json = FX_JSON.substring(0, FX_JSON.length() - 1) + ",\"weight\":20}";
        Instance weighted = Json.instance(json.getBytes(StandardCharsets.UTF_8));
        assertThat(weighted.weight()).isEqualTo(20);
        assertThat(weighted.effectiveWeight()).isEqualTo(20);
        assertThat(new String(Json.write(weighted), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(Json.instance(Json.write(weighted.withRegisteredAt(Instant.EPOCH))).weight()).isEqualTo(20);
        assertThat(Json.instance((FX_JSON.substring(0, FX_JSON.length() - 1) + ",\"weight\":0}").getBytes(StandardCharsets.UTF_8))
                .effectiveWeight()).isZero();
        assertThatThrownBy(() -> Json.instance((FX_JSON.substring(0, FX_JSON.length() - 1) + ",\"weight\":-1}")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("weight must be at least 0");
    }

    @Test
    void fractionalAndOffsetTimestampsAreRead() throws Exception {
        String json = FX_JSON.replace("2026-11-28T10:15:30Z", "2026-11-28T11:15:30.250+01:00");
        assertThat(Json.instance(json.getBytes(StandardCharsets.UTF_8)).registeredAt())
                .isEqualTo(Instant.parse("2026-11-28T10:15:30.250Z"));
    }

    @Test
    void invalidInstancesAreRejected() {
        assertThatThrownBy(() -> Json.instance(FX_JSON.replace("\"host\":\"10.0.0.5\",", "").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("host is required");
        assertThatThrownBy(() -> Json.instance(FX_JSON.replace("31001", "70000").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> Json.instance("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> new Instance("fx", "a/b", "h", Map.of(), "1", null, "ag", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskId");
    }

    @Test
    void portsAreSortedImmutableAndNamed() {
        assertThat(FX.ports().keySet()).containsExactly("admin", "http");
        assertThat(FX.port("http")).contains(31001);
        assertThat(FX.port("grpc")).isEmpty();
        assertThatThrownBy(() -> FX.ports().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(FX.key()).isEqualTo("/remit/discovery/fx/fx.7f3a");
    }
}
