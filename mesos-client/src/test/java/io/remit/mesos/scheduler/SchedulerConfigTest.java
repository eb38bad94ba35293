package io.remit.mesos.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.mesos.MediaType;
import java.net.URI;
import java.time.Duration;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {

    @Test
    void defaults() {
        SchedulerConfig config = SchedulerConfig.builder()
                .master("http://127.0.0.1:5050")
                .frameworkInfo(SchedulerClientTest.FRAMEWORK)
                .build();
        assertThat(config.mediaType()).isEqualTo(MediaType.PROTOBUF);
        assertThat(config.backoffMin()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.heartbeatMisses()).isEqualTo(5);
        assertThat(config.headers()).isEmpty();
        assertThat(config.endpoints()).containsExactly(URI.create("http://127.0.0.1:5050/api/v1/scheduler"));
    }

    @Test
    void endpointKeepsAPathPrefix() {
        assertThat(SchedulerConfig.endpoint(URI.create("https://proxy.example/mesos/")))
                .isEqualTo(URI.create("https://proxy.example/mesos/api/v1/scheduler"));
    }

    @Test
    void listsEveryProblemAtOnce() {
        SchedulerConfig.Builder builder = SchedulerConfig.builder()
                .master("mesos://nowhere")
                .frameworkInfo(FrameworkInfo.newBuilder().setName("no user").buildPartial())
                .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                .heartbeatMisses(0)
                .maxRecordBytes(0)
                .header("Mesos-Stream-Id", "forged");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("master mesos://nowhere is not an http(s)://host:port URI")
                .hasMessageContaining("frameworkInfo lacks user")
                .hasMessageContaining("backoffMax must be at least backoffMin")
                .hasMessageContaining("heartbeatMisses must be at least 1")
                .hasMessageContaining("maxRecordBytes must be positive")
                .hasMessageContaining("header Mesos-Stream-Id is set by the client itself");
    }

    @Test
    void needsAMaster() {
        assertThatThrownBy(() -> SchedulerConfig.builder().frameworkInfo(SchedulerClientTest.FRAMEWORK).build())
                .hasMessageContaining("masters must name at least one master");
    }

    @Test
    void whichErrorsMeanTheFrameworkIsGone() {
        assertThat(SchedulerClient.isFrameworkGone("Framework has been removed")).isTrue();
        assertThat(SchedulerClient.isFrameworkGone("Framework failed over")).isTrue();
        assertThat(SchedulerClient.isFrameworkGone("Framework was torn down")).isTrue();
        assertThat(SchedulerClient.isFrameworkGone("Role 'x' is not present in the master's --roles")).isFalse();
        assertThat(SchedulerClient.isFrameworkGone("Framework is not authenticated")).isFalse();
    }
}
