package io.remit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a service reads of a flag: payments' fee waiver and pause apply to the schools named, or to all. */
class FlagTest {

    private static Flag flag(boolean enabled, Map<String, Object> params) {
        return new Flag(new io.remit.registry.config.Flag("fee-waiver", enabled, params));
    }

    @Test
    void aFlagNamingSchoolsAppliesToThoseOnly() {
        Flag flag = flag(true, Map.of("schools", List.of("eth-zurich", "mit")));

        assertThat(flag.appliesTo("schools", "mit")).isTrue();
        assertThat(flag.appliesTo("schools", "oxford-brookes")).isFalse();
        assertThat(flag.enabledFor("schools", "mit")).isTrue();
        assertThat(flag.strings("schools")).containsExactly("eth-zurich", "mit");
    }

    @Test
    void aFlagNamingNoSchoolAppliesToEvery() {
        assertThat(flag(true, Map.of()).appliesTo("schools", "mit")).isTrue();
        assertThat(flag(true, Map.of("schools", List.of())).appliesTo("schools", "mit")).isTrue();
        assertThat(flag(true, Map.of()).enabledFor("schools", "mit")).as("enabledFor needs the name listed").isFalse();
    }

    @Test
    void aDisabledFlagAppliesToNothing() {
        assertThat(flag(false, Map.of()).appliesTo("schools", "mit")).isFalse();
        assertThat(flag(false, Map.of("schools", "mit")).appliesTo("schools", "mit")).isFalse();
    }

    @Test
    void withoutEtcdEveryFlagIsOff() {
        assertThat(Flags.none().flag("fee-waiver")).isEmpty();
        assertThat(Flags.none().isEnabled("fee-waiver")).isFalse();
        assertThat(Flags.none().all()).isEmpty();
    }
}
