package io.remit.executor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTemplateTest {

    @Test
    void replacesEveryPlaceholderWithItsValue() {
        String out = ConfigTemplate.render("http: {{port.http}}\nadmin: {{ port.admin }}\nid: {{instance.id}}{{instance.id}}",
                Map.of("port.http", "31001", "port.admin", "31002", "instance.id", "t1"));
        assertThat(out).isEqualTo("http: 31001\nadmin: 31002\nid: t1t1");
    }

    @Test
    void valuesAreInsertedLiterally() {
        assertThat(ConfigTemplate.render("x: {{a}}", Map.of("a", "$1 \\ {{b}}"))).isEqualTo("x: $1 \\ {{b}}");
    }

    @Test
    void anInstanceGetsItsPortsEtcdIdAndVersion() {
        assertThat(ConfigTemplate.values(LaunchSpecJsonTest.example())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "port.http", "31001", "port.admin", "31002",
                "etcd.endpoints", "http://10.0.0.5:2379,http://10.0.0.6:2379",
                "instance.id", "hello.7f3a9c", "service.version", "0.1.0"));
    }

    @Test
    void anUnknownPlaceholderIsNamedWithItsLine() {
        assertThatThrownBy(() -> ConfigTemplate.render("a: 1\nb: {{port.grpc}}\n", Map.of("port.http", "1")))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.placeholder()).isEqualTo("port.grpc"))
                .hasMessage("unknown placeholder {{port.grpc}} at line 2 (known: {{port.http}})");
    }

    @Test
    void braceTextThatIsNotAPlaceholderIsAnError() {
        assertThatThrownBy(() -> ConfigTemplate.render("a: 1\n\nb: {{port http}}\n", Map.of()))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.placeholder()).isEqualTo("{{port http}}"))
                .hasMessage("'{{port http}}' at line 3 is not a placeholder such as {{port.http}}");
        assertThatThrownBy(() -> ConfigTemplate.render("b: {{port.http", Map.of("port.http", "1")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("'{{port.http' at line 1");
    }

    @Test
    void aTemplateWithoutPlaceholdersIsUnchanged() {
        assertThat(ConfigTemplate.render("server: {}\n", Map.of())).isEqualTo("server: {}\n");
        assertThat(ConfigTemplate.render("", Map.of())).isEmpty();
    }
}
