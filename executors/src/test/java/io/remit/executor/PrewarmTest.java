package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.remit.executor.api.LaunchSpec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrewarmTest {

    /** A sample that failed would warm only part of the path, silently. */
    @Test
    void warmsTheWholeLaunchPathWithoutFailing() {
        assertThatCode(Prewarm::launchPath).doesNotThrowAnyException();
        LaunchSpec spec = LaunchSpec.fromJson(Prewarm.SAMPLE_SPEC.getBytes(StandardCharsets.UTF_8));
        assertThat(spec.healthCheck().interval()).hasMillis(200);
        assertThat(spec.etcd().user()).isEqualTo("u");
        assertThat(spec.configTemplate()).contains("{{ port.admin }}");
    }
}
