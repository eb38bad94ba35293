package io.remit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension gives a real, private etcd that stores and returns keys, and stops it afterwards. */
@ExtendWith(EtcdExtension.class)
class EtcdExtensionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode v3(EtcdServer etcd, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(etcd.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void storesAndReturnsAKeyOnLoopback(EtcdServer etcd) throws Exception {
        assertThat(etcd.endpoint()).startsWith("http://127.0.0.1:");
        v3(etcd, "/v3/kv/put", "{\"key\":\"" + b64("/remit/test") + "\",\"value\":\"" + b64("hello") + "\"}");
        JsonNode got = v3(etcd, "/v3/kv/range", "{\"key\":\"" + b64("/remit/test") + "\"}");
        String value = new String(Base64.getDecoder().decode(got.path("kvs").get(0).path("value").asText()),
                StandardCharsets.UTF_8);
        assertThat(value).isEqualTo("hello");
    }

    @Test
    void eachClassSharesOneServerAndAStandaloneOneStopsWhenClosed(EtcdServer shared) throws Exception {
        EtcdServer own = EtcdServer.start();
        assertThat(own.clientPort()).isNotEqualTo(shared.clientPort());
        assertThat(own.isRunning()).isTrue();
        own.close();
        assertThat(own.isRunning()).isFalse();
        assertThat(shared.isRunning()).isTrue();
    }
}
