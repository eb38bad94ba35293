package io.remit.registry.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void followsTheArchitectureLayout() {
        assertThat(Keys.SCHEDULER_LEADER).isEqualTo("/remit/scheduler/leader");
        assertThat(Keys.FRAMEWORK_ID).isEqualTo("/remit/scheduler/framework-id");
        assertThat(Keys.serviceSpec("fx")).isEqualTo("/remit/services/fx/spec");
        assertThat(Keys.task("fx.1")).isEqualTo("/remit/tasks/fx.1");
        assertThat(Keys.discovery("fx", "fx.1")).isEqualTo("/remit/discovery/fx/fx.1");
        assertThat(Keys.discoveryPrefix("fx")).isEqualTo("/remit/discovery/fx/");
        assertThat(Keys.configPrefix("fx")).isEqualTo("/remit/config/fx/");
        assertThat(Keys.flag("new-fees")).isEqualTo("/remit/flags/new-fees");
    }

    @Test
    void namesAreSingleSegments() {
        assertThatThrownBy(() -> Keys.discovery("fx", "a/b")).hasMessageContaining("taskId");
        assertThatThrownBy(() -> Keys.flag("")).hasMessageContaining("flag");
        assertThatThrownBy(() -> Keys.configPrefix(" fx")).hasMessageContaining("service");
        assertThatThrownBy(() -> Keys.task(null)).hasMessageContaining("taskId");
    }
}
