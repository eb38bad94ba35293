package io.remit.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagTest {

    private static Flag decode(String json) throws Exception {
        return FeatureFlags.decode("new-fees", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEnabledAndParams() throws Exception {
        Flag flag = decode("{\"enabled\":true,\"params\":{\"schools\":[\"s1\",\"s2\"],\"percent\":5,\"mode\":\"shadow\"}}");
        assertThat(flag).isEqualTo(new Flag("new-fees", true,
                Map.of("schools", List.of("s1", "s2"), "percent", 5, "mode", "shadow")));
        assertThat(flag.strings("schools")).containsExactly("s1", "s2");
        assertThat(flag.strings("mode")).containsExactly("shadow");
        assertThat(flag.strings("percent")).isEmpty();
        assertThat(flag.enabledFor("schools", "s1")).isTrue();
        assertThat(flag.enabledFor("schools", "s9")).isFalse();
        assertThat(flag.param("percent")).contains(5);
    }

    @Test
    void paramsAreOptionalAndOtherFieldsIgnored() throws Exception {
        assertThat(decode("{\"enabled\":false,\"description\":\"x\"}")).isEqualTo(new Flag("new-fees", false, Map.of()));
        assertThat(decode("{\"enabled\":true,\"params\":null}").params()).isEmpty();
    }

    @Test
    void paramsAreDeeplyImmutable() throws Exception {
        Flag flag = decode("{\"enabled\":true,\"params\":{\"schools\":[\"s1\"],\"nested\":{\"a\":[1]}}}");
        assertThatThrownBy(() -> flag.params().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> schools = (List<Object>) flag.params().get("schools");
        assertThatThrownBy(() -> schools.add("s2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalidDocumentsAreRejected() {
        assertThatThrownBy(() -> decode("{\"params\":{}}")).hasMessageContaining("\"enabled\" must be true or false");
        assertThatThrownBy(() -> decode("{\"enabled\":\"yes\"}")).hasMessageContaining("\"enabled\"");
        assertThatThrownBy(() -> decode("{\"enabled\":true,\"params\":[1]}")).hasMessageContaining("\"params\"");
        assertThatThrownBy(() -> decode("true")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> decode("{oops")).isInstanceOf(java.io.IOException.class);
    }
}
