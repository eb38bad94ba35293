package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.Resources;
import org.junit.jupiter.api.Test;

/** Real agents on one host split its ports range, so that no port is given to two tasks at once. */
class PortsShareTest {

    @Test
    void twoAgentsGetDisjointHalvesAndTheScalarsUnchanged() {
        Resources all = Resources.of(4, 8192, 20_000, Ranges.of(10_000, 10_999));
        Resources first = LocalCluster.withPortsShare(all, 0, 2);
        Resources second = LocalCluster.withPortsShare(all, 1, 2);
        assertThat(first.ranges("ports")).isEqualTo(Ranges.of(10_000, 10_499));
        assertThat(second.ranges("ports")).isEqualTo(Ranges.of(10_500, 10_999));
        assertThat(first.scalar("cpus")).isEqualTo(4);
        assertThat(second.scalar("mem")).isEqualTo(8192);
    }

    @Test
    void aShareMaySpanSeveralRangesAndTheLastAgentTakesTheRest() {
        Resources all = Resources.of(1, 1, 1, Ranges.of(100, 104).plus(Ranges.of(200, 204)));
        assertThat(LocalCluster.withPortsShare(all, 0, 3).ranges("ports")).isEqualTo(Ranges.of(100, 102));
        assertThat(LocalCluster.withPortsShare(all, 1, 3).ranges("ports")).isEqualTo(Ranges.of(103, 104).plus(Ranges.of(200, 200)));
        assertThat(LocalCluster.withPortsShare(all, 2, 3).ranges("ports")).isEqualTo(Ranges.of(201, 204));
    }

    @Test
    void oneAgentKeepsTheWholeRange() {
        Resources all = Resources.of(4, 8192, 20_000, Ranges.of(31_000, 32_000));
        assertThat(LocalCluster.withPortsShare(all, 0, 1)).isEqualTo(all);
    }
}
