package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.master.MasterServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad requests get the status codes and messages a real Mesos master gives, and change nothing. */
class SchedulerApiErrorsIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private HttpResponse<String> post(String contentType, String accept, String streamId, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/api/v1/scheduler"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (streamId != null) {
            b.header("Mesos-Stream-Id", streamId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String json) throws Exception {
        return post("application/json", "application/json", null, json.getBytes());
    }

    @Test
    void methodOtherThanPostIs405() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/api/v1/scheduler"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(r.body()).contains("Expecting one of { 'POST' }, but received 'GET'");
    }

    @Test
    void missingContentTypeIs400AndUnknownIs415() throws Exception {
        HttpResponse<String> none = post(null, null, null, "{}".getBytes());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).isEqualTo("Expecting 'Content-Type' to be present");
        HttpResponse<String> xml = post("text/xml", null, null, "<x/>".getBytes());
        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(xml.body()).isEqualTo("Expecting 'Content-Type' of application/json or application/x-protobuf");
    }

    @Test
    void malformedBodiesAre400WithTheParserSaying() throws Exception {
        HttpResponse<String> json = postJson("{\"type\": SUBSCRIBE");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).startsWith("Failed to parse body into JSON: ");

        HttpResponse<String> proto = post("application/x-protobuf", null, null, new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});
        assertThat(proto.statusCode()).isEqualTo(400);
        assertThat(proto.body()).isEqualTo("Failed to parse body into Call protobuf");

        HttpResponse<String> missingRequired = postJson("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"name\":\"x\"}}}");
        assertThat(missingRequired.statusCode()).isEqualTo(400);
        assertThat(missingRequired.body()).startsWith("Failed to convert JSON into Call protobuf: ").contains("user");
    }

    @Test
    void invalidCallsAre400NamingTheProblem() throws Exception {
        HttpResponse<String> unknownType = postJson("{\"type\":\"FROBNICATE\"}");
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(unknownType.body()).isEqualTo("Failed to validate scheduler::Call: Expecting 'type' to be present");

        HttpResponse<String> noFramework = postJson("{\"type\":\"REVIVE\"}");
        assertThat(noFramework.statusCode()).isEqualTo(400);
        assertThat(noFramework.body()).isEqualTo("Failed to validate scheduler::Call: Expecting 'framework_id' to be present");

        HttpResponse<String> idOnlyInInfo = postJson("""
                {"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n","id":{"value":"abc"}}}}""");
        assertThat(idOnlyInInfo.statusCode()).isEqualTo(400);
        assertThat(idOnlyInInfo.body()).contains("'framework_id' differs from 'subscribe.framework_info.id'");

        HttpResponse<String> noAccept = postJson("{\"type\":\"ACCEPT\",\"framework_id\":{\"value\":\"f\"}}");
        assertThat(noAccept.body()).isEqualTo("Failed to validate scheduler::Call: Expecting 'accept' to be present");
    }

    @Test
    void subscribeWithAnAcceptItCannotServeIs406AndWithAStreamIdIs400() throws Exception {
        String subscribe = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\"}}}";
        HttpResponse<String> r = post("application/json", "text/html", null, subscribe.getBytes());
        assertThat(r.statusCode()).isEqualTo(406);
        HttpResponse<String> s = post("application/json", "application/json", "some-stream", subscribe.getBytes());
        assertThat(s.statusCode()).isEqualTo(400);
        assertThat(s.body()).isEqualTo("Subscribe calls should not include the 'Mesos-Stream-Id' header");
        assertThat(cluster.master().frameworkIds()).isEmpty();
    }

    @Test
    void unknownFrameworkIs400NotSubscribedIs403AndWrongStreamIs400() throws Exception {
        HttpResponse<String> unknown = post("application/json", null, "x",
                "{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"nobody\"}}".getBytes());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("Framework cannot be found");

        RawScheduler s = new RawScheduler(cluster.masterUrl());
        s.subscribe("{\"user\":\"u\",\"name\":\"n\",\"failover_timeout\":60.0}");
        String revive = "{\"type\":\"REVIVE\",\"framework_id\":{\"value\":\"" + s.frameworkId + "\"}}";
        assertThat(post("application/json", null, null, revive.getBytes()).body())
                .isEqualTo("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        HttpResponse<String> wrong = post("application/json", null, "not-the-stream", revive.getBytes());
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("didn't match the stream ID currently associated with framework ID");
        assertThat(s.call(revive).statusCode()).isEqualTo(202);

        cluster.dropFrameworkStream(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue(s.frameworkId).build());
        HttpResponse<String> gone = post("application/json", null, s.streamId, revive.getBytes());
        assertThat(gone.statusCode()).isEqualTo(403);
        assertThat(gone.body()).isEqualTo("Framework is not subscribed");
        s.close();
    }

    @Test
    void aStandbyMasterRedirectsToTheLeaderWith307() throws Exception {
        String leader = URI.create(cluster.masterUrl()).getAuthority();
        try (MasterServer standby = MasterServer.standby(new InetSocketAddress("127.0.0.1", 0), leader)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + standby.port() + "/api/v1/scheduler"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(307);
            assertThat(r.headers().firstValue("Location")).hasValue("//" + leader + "/master/api/v1/scheduler");
        }
    }

    @Test
    void theMasterKeepsServingAfterGarbage() throws Exception {
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[64 + i * 13];
            new java.util.Random(i).nextBytes(junk);
            assertThat(post(i % 2 == 0 ? "application/json" : "application/x-protobuf", null, null, junk).statusCode())
                    .isEqualTo(400);
        }
        JsonNode state = new RawScheduler(cluster.masterUrl()).state();
        assertThat(state.path("slaves")).hasSize(1);
        assertThat(state.path("frameworks")).isEmpty();
    }
}
