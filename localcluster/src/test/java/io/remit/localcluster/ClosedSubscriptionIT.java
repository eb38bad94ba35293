package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduler that closes its subscription's connection is noticed at once, as a Mesos master
 * notices the socket close: with {@code failover_timeout} 0 the framework is removed, otherwise
 * it is disconnected, and either way the resources it was offered go to another framework
 * within about a second, not after missed heartbeats.
 */
class ClosedSubscriptionIT {

    /** Far below the 15 to 30 s a dead connection took to be noticed through failed heartbeats. */
    private static final Duration NOTICED_WITHIN = Duration.ofMillis(1500);

    @TempDir
    Path work;
    LocalCluster cluster;

    @BeforeEach
    void start() throws Exception {
        // Default allocation interval (1 s) and heartbeat (15 s): nothing but the close itself can be quick.
        cluster = LocalCluster.builder().freePorts().workDir(work).simulatedAgents(1).agents(0).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Subscribes over a bare socket and reads until the stream has carried an OFFERS event. */
    private Socket subscribeAndTakeTheOffer(double failoverTimeout) throws Exception {
        URI master = URI.create(cluster.masterUrl());
        Socket socket = new Socket(InetAddress.getByName(master.getHost()), master.getPort());
        String body = """
                {"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"closer","failover_timeout":%s}}}"""
                .formatted(failoverTimeout);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/scheduler HTTP/1.1\r\nHost: " + master.getHost() + "\r\n"
                + "Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        socket.setSoTimeout(15_000);
        while (!seen.toString(StandardCharsets.UTF_8).contains("\"OFFERS\"")) {
            int b = in.read();
            assertThat(b).as("stream ended before an offer: " + seen).isNotNegative();
            seen.write(b);
        }
        return socket;
    }

    private JsonNode framework(RawScheduler any, String name, String list) throws Exception {
        for (JsonNode fw : any.state().path(list)) {
            if (fw.path("name").asText().equals(name)) {
                return fw;
            }
        }
        return null;
    }

    private void closingHandsTheOfferOver(double failoverTimeout) throws Exception {
        Socket closer = subscribeAndTakeTheOffer(failoverTimeout);
        try (RawScheduler other = new RawScheduler(cluster.masterUrl())) {
            other.subscribe("{\"user\":\"u\",\"name\":\"other\"}");
            other.expectNone(e -> e.path("type").asText().equals("OFFERS"), Duration.ofMillis(1500));

            long closedAt = System.nanoTime();
            closer.close();
            JsonNode offers = other.next(e -> e.path("type").asText().equals("OFFERS"), NOTICED_WITHIN);
            Duration took = Duration.ofNanos(System.nanoTime() - closedAt);
            System.out.println("the other framework was offered the resources " + took.toMillis() + " ms after the close");
            assertThat(offers.path("offers").path("offers")).hasSize(1);

            if (failoverTimeout == 0) {
                assertThat(framework(other, "closer", "frameworks")).as("removed").isNull();
                assertThat(framework(other, "closer", "completed_frameworks")).isNotNull();
            } else {
                JsonNode fw = framework(other, "closer", "frameworks");
                assertThat(fw.path("active").asBoolean()).isFalse();
                assertThat(fw.path("connected").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void aFrameworkWithoutFailoverTimeoutIsRemovedTheMomentItsConnectionCloses() throws Exception {
        closingHandsTheOfferOver(0);
    }

    @Test
    void aFrameworkWithAFailoverTimeoutIsDisconnectedTheMomentItsConnectionCloses() throws Exception {
        closingHandsTheOfferOver(60);
    }
}
