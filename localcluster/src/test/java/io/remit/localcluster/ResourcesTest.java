package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.localcluster.resources.Ranges;
import io.remit.localcluster.resources.ResourceSpec;
import io.remit.localcluster.resources.Resources;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

class ResourcesTest {

    @Test
    void rangesNormaliseMergeAndSubtract() {
        Ranges r = Ranges.parse("[31005-31010, 31000-31004, 31020-31030]");
        assertThat(r).hasToString("[31000-31010, 31020-31030]");
        assertThat(r.size()).isEqualTo(22);
        Ranges left = r.minus(Ranges.parse("[31003-31003, 31020-31025]"));
        assertThat(left).hasToString("[31000-31002, 31004-31010, 31026-31030]");
        assertThat(r.contains(Ranges.of(31008, 31010))).isTrue();
        assertThat(r.contains(Ranges.of(31010, 31011))).isFalse();
        assertThat(left.plus(Ranges.parse("[31003-31003, 31020-31025]"))).isEqualTo(r);
    }

    @Test
    void badRangesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Ranges.parse("[5-1]")).hasMessageContaining("ends before it begins");
        assertThatThrownBy(() -> Ranges.parse("[a-b]")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void scalarsAddAndSubtractWithoutDrift() {
        Resources r = ResourceSpec.parse("cpus:1;mem:64");
        Resources tenth = ResourceSpec.parse("cpus:0.1");
        Resources left = r;
        for (int i = 0; i < 10; i++) {
            left = left.minus(tenth);
        }
        assertThat(left.scalar("cpus")).isZero();
        assertThat(left).isEqualTo(ResourceSpec.parse("mem:64"));
    }

    @Test
    void containsComparesEveryScalarAndRange() {
        Resources agent = ResourceSpec.parse("cpus:2;mem:1024;ports:[31000-31009]");
        assertThat(agent.contains(ResourceSpec.parse("cpus:2;mem:1024"))).isTrue();
        assertThat(agent.contains(ResourceSpec.parse("cpus:2.001"))).isFalse();
        assertThat(agent.contains(ResourceSpec.parse("gpus:1"))).isFalse();
        assertThat(agent.contains(ResourceSpec.parse("ports:[31009-31010]"))).isFalse();
        assertThatThrownBy(() -> agent.minus(ResourceSpec.parse("mem:2048"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void protoRoundTripKeepsTypesAndRefusesNegativeScalars() {
        Resources r = ResourceSpec.parse("cpus:1.5;disk:10;ports:[31000-31001]");
        List<Protos.Resource> proto = r.toProto(null);
        assertThat(proto).allMatch(p -> p.getRole().equals("*"));
        assertThat(Resources.fromProto(proto)).isEqualTo(r);
        Protos.Resource negative = Protos.Resource.newBuilder().setName("mem").setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(-1)).build();
        assertThatThrownBy(() -> Resources.fromProto(List.of(negative))).hasMessageContaining("invalid scalar value");
        assertThatThrownBy(() -> ResourceSpec.parse("cpus:lots")).hasMessageContaining("not a number");
    }
}
