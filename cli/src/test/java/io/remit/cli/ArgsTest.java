package io.remit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void optionsGoAnywhereAfterTheVerbAndOverTheEnvironment() {
        Args a = Args.parse(new String[] {"rollback", "payments", "--token=t-1", "4", "-m", "the fee was wrong",
                "--scheduler", "http://10.0.0.5:8080/", "--json"},
                Map.of("REMIT_SCHEDULER_URL", "http://127.0.0.1:9999", "REMIT_TOKEN", "from-env"));

        assertThat(a).isEqualTo(new Args("rollback", List.of("payments", "4"), "http://10.0.0.5:8080", "t-1", true,
                "the fee was wrong"));
    }

    @Test
    void withoutOptionsTheEnvironmentThenTheDefaultsApply() {
        assertThat(Args.parse(new String[] {"services"}, Map.of("REMIT_SCHEDULER_URL", "http://127.0.0.1:18080",
                "REMIT_TOKEN", "tok"))).isEqualTo(new Args("services", List.of(), "http://127.0.0.1:18080", "tok", false, null));
        assertThat(Args.parse(new String[] {}, Map.of("REMIT_TOKEN", " ")))
                .isEqualTo(new Args("help", List.of(), "http://127.0.0.1:8080", null, false, null));
    }

    @Test
    void aNegativeNumberIsAnArgumentForTheSchedulerToJudge() {
        assertThat(Args.parse(new String[] {"scale", "fx", "-1"}, Map.of()).positional()).containsExactly("fx", "-1");
    }

    @Test
    void wrongCommandLinesAreUsageErrors() {
        assertThatThrownBy(() -> Args.parse(new String[] {"services", "--verbose"}, Map.of()))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.status()).isEqualTo(CliException.USAGE))
                .hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> Args.parse(new String[] {"deploy", "x.yml", "-m"}, Map.of())).hasMessage("-m needs a value");
        assertThatThrownBy(() -> Args.parse(new String[] {"services", "--scheduler", "localhost:8080"}, Map.of()))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> Args.parse(new String[] {"scale", "fx"}, Map.of()).take(2, 2, "scale SVC N"))
                .hasMessage("usage: ./remit scale SVC N");
    }
}
