package io.remit.scheduler.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {



    @Test
    void resolvesTheArtifactBase() {
        assertThat(Templates.resolveArtifact("{{artifacts}}/hello.jar", URI.create("https://art.example/remit/")))
                .isEqualTo(URI.create("https://art.example/remit/hello.jar"));
        assertThat(Templates.resolveArtifact("{{artifacts}}/lib/x.jar", URI.create("file:///work/var/artifacts")))
                .isEqualTo(URI.create("file:///work/var/artifacts/lib/x.jar"));
        assertThat(Templates.resolveArtifact("http://h/a.jar", null)).isEqualTo(URI.create("http://h/a.jar"));
        assertThatThrownBy(() -> Templates.resolveArtifact("{{artifacts}}/a.jar", URI.create("relative/dir")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durations() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse(" 5s ")).contains(Duration.ofSeconds(5));
        assertThat(Durations.parse("2m")).contains(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("PT1M30S")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("5")).isEmpty();
        assertThat(Durations.parse("5 minutes")).isEmpty();
        assertThat(Durations.format(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    }

    @Test
    void revisionIgnoresInstancesOnly() {
        ServiceSpec s = Specs.minimal("a");
        assertThat(s.withInstances(7).revision()).isEqualTo(s.revision());
        assertThat(s.withVersion("1.0.1").revision()).isNotEqualTo(s.revision());
        assertThat(s.withConfig("x: 1").revision()).isNotEqualTo(s.revision());
        ServiceSpec secret1 = new ServiceSpec("a", "1", s.artifacts(), "", 1, s.resources(), null,
                Map.of("K", EnvValue.secret("one")), null, null, null, null);
        ServiceSpec secret2 = new ServiceSpec("a", "1", s.artifacts(), "", 1, s.resources(), null,
                Map.of("K", EnvValue.secret("two")), null, null, null, null);
        assertThat(secret1.revision()).isNotEqualTo(secret2.revision()).hasSize(16);
    }
}
