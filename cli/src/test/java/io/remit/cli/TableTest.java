package io.remit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndLinesEndWithoutSpaces() {
        String t = new Table("REVISION", "WHO", "MESSAGE")
                .row("12 (current)", "ci-pipeline", "")
                .row(3, "remit", "loaded from configs/services/fx.yml")
                .toString();
        assertThat(t).isEqualTo("""
                REVISION      WHO          MESSAGE
                12 (current)  ci-pipeline
                3             remit        loaded from configs/services/fx.yml
                """);
    }
}
