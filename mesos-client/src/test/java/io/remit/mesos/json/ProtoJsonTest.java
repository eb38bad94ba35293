package io.remit.mesos.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.remit.mesos.MediaType;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtoJsonTest {

    /** The SUBSCRIBE body shown in Mesos's scheduler HTTP API documentation. */
    private static final String DOCS_SUBSCRIBE =
            "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"foo\",\"name\":\"Example HTTP Framework\"}}}";

    private static Offer offerWithPorts() {
        return Offer.newBuilder()
                .setId(OfferID.newBuilder().setValue("o-1"))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue("a-1"))
                .setHostname("agent1.example")
                .addResources(Resource.newBuilder()
                        .setName("cpus")
                        .setType(Value.Type.SCALAR)
                        .setScalar(Value.Scalar.newBuilder().setValue(4)))
                .addResources(Resource.newBuilder()
                        .setName("ports")
                        .setType(Value.Type.RANGES)
                        .setRanges(Value.Ranges.newBuilder()
                                .addRange(Value.Range.newBuilder().setBegin(31000).setEnd(32000))))
                .build();
    }

    @Test
    void parsesTheSubscribeCallFromTheMesosDocs() throws Exception {
        Call call = ProtoJson.parse(DOCS_SUBSCRIBE, Call.newBuilder());

        assertThat(call.getType()).isEqualTo(Call.Type.SUBSCRIBE);
        assertThat(call.getSubscribe().getFrameworkInfo().getUser()).isEqualTo("foo");
        assertThat(call.getSubscribe().getFrameworkInfo().getName()).isEqualTo("Example HTTP Framework");
        assertThat(call.hasFrameworkId()).isFalse();
    }

    @Test
    void printsRangesAsNumbersAndEnumsAsNames() throws Exception {
        String json = ProtoJson.toJson(offerWithPorts());

        assertThat(json).contains("\"begin\":31000").contains("\"end\":32000");
        assertThat(json).contains("\"type\":\"RANGES\"").contains("\"type\":\"SCALAR\"");
        assertThat(json).contains("\"name\":\"ports\"").contains("\"hostname\":\"agent1.example\"");
        assertThat(ProtoJson.<Offer>parse(json, Offer.newBuilder())).isEqualTo(offerWithPorts());
    }

    @Test
    void printsCallTypeAsItsName() {
        String json = ProtoJson.toJson(Call.newBuilder().setType(Call.Type.REVIVE).build());
        assertThat(json).isEqualTo("{\"type\":\"REVIVE\"}");
    }

    @Test
    void acceptsNumbersWrittenAsStrings() throws Exception {
        String json = ProtoJson.toJson(offerWithPorts()).replace("\"begin\":31000", "\"begin\":\"31000\"");
        assertThat(ProtoJson.<Offer>parse(json, Offer.newBuilder())).isEqualTo(offerWithPorts());
    }

    @Test
    void bytesAreBase64AndRoundTrip() throws Exception {
        ByteString uuid = ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff});
        Call ack = Call.newBuilder()
                .setType(Call.Type.ACKNOWLEDGE)
                .setAcknowledge(Call.Acknowledge.newBuilder()
                        .setAgentId(AgentID.newBuilder().setValue("a"))
                        .setTaskId(TaskID.newBuilder().setValue("t"))
                        .setUuid(uuid))
                .build();

        String json = ProtoJson.toJson(ack);

        assertThat(json).contains("\"uuid\":\"AAEC/v8=\"");
        assertThat(ProtoJson.<Call>parse(json, Call.newBuilder())).isEqualTo(ack);
    }

    @Test
    void missingRequiredFieldFailsNamingIt() {
        String json = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"name\":\"no user\"}}}";

        assertThatThrownBy(() -> ProtoJson.parse(json, Call.newBuilder()))
                .isExactlyInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("missing required fields")
                .hasMessageContaining("user");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String json = "{\"type\":\"REVIVE\",\"future_field\":1,\"revive\":{\"roles\":[\"web\"],\"nested\":{\"x\":[1,2]}}}";

        Call call = ProtoJson.parse(json, Call.newBuilder());

        assertThat(call.getType()).isEqualTo(Call.Type.REVIVE);
        assertThat(call.getRevive().getRolesList()).containsExactly("web");
    }

    @Test
    void unknownEnumValuesAreIgnoredLikeUnknownFields() throws Exception {
        // A newer master may send event types this client does not know: they parse as unset.
        assertThat(ProtoJson.<Call>parse("{\"type\":\"NO_SUCH_TYPE\"}", Call.newBuilder()).hasType()).isFalse();
        assertThat(ProtoJson.<Call>parse("{\"type\":4242}", Call.newBuilder()).hasType()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "{",
        "not json",
        "{\"type\":",
        "{\"type\":\"SUBSCRIBE\"",
        "[]",
        "null",
        "{\"framework_id\":\"should be an object\"}",
        "{\"framework_id\":{\"value\":{}}}",
        "{\"type\":\"REVIVE\"} trailing",
        "{'type':'REVIVE',}",
        "{\"type\":\"REVIVE\",}",
        "{\"type\":\"REVIVE\"}{\"type\":\"REVIVE\"}",
        "{\"revive\":{\"roles\":[\"a\",]}}",
    })
    void malformedJsonFailsWithInvalidProtocolBufferExceptionOnly(String json) {
        assertThatThrownBy(() -> ProtoJson.parse(json, Call.newBuilder()))
                .isExactlyInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void mediaTypesRoundTripAndBothRefuseMissingRequiredFields() throws Exception {
        Offer offer = offerWithPorts();
        for (MediaType type : MediaType.values()) {
            assertThat(type.<Offer>decode(type.encode(offer), Offer.newBuilder())).isEqualTo(offer);
            byte[] partial = type.encode(offer.toBuilder().clearHostname().buildPartial());
            assertThatThrownBy(() -> type.decode(partial, Offer.newBuilder()))
                    .isExactlyInstanceOf(InvalidProtocolBufferException.class)
                    .hasMessageContaining("hostname");
        }
    }
}
