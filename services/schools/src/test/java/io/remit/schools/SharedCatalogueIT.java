package io.remit.schools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.remit.kit.RemitSettings;
import io.remit.kit.ServiceData;
import io.remit.schools.core.EtcdCatalogue;
import io.remit.schools.core.SchoolRecord;
import io.remit.schools.core.SeedFile;
import io.remit.testkit.Await;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two schools instances on one real etcd serve one catalogue: seeded once, each sees the other's writes. */
@ExtendWith(EtcdExtension.class)
class SharedCatalogueIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<SchoolRecord> SEED = SeedFile.load("");
    private static DropwizardTestSupport<SchoolsConfiguration> a;
    private static DropwizardTestSupport<SchoolsConfiguration> b;
    private static ServiceData data;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(EtcdServer server) throws Exception {
        data = ServiceData.connect(new RemitSettings("schools", null, null, server.endpoint(), null, null, null));
        a = instance(server);
        b = instance(server);
        a.before();
        b.before();
    }

    private static DropwizardTestSupport<SchoolsConfiguration> instance(EtcdServer server) {
        return new DropwizardTestSupport<>(SchoolsApplication.class, ResourceHelpers.resourceFilePath("schools-test.yml"),
                ConfigOverride.config("remit.etcdEndpoints", server.endpoint()));
    }

    @AfterAll
    static void stop() {
        b.after();
        a.after();
        data.close();
    }

    private HttpResponse<String> send(DropwizardTestSupport<?> app, String method, String path, String body) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + path))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode get(DropwizardTestSupport<?> app, String path) throws Exception {
        return JSON.readTree(send(app, "GET", path, null).body());
    }

    @Test
    void bothInstancesServeTheSeedStoredOnceAndEncrypted() throws Exception {
        assertThat(data.prefix()).isEqualTo(EtcdCatalogue.PREFIX);
        List<ServiceData.Entry> stored = data.list();
        assertThat(stored).hasSizeGreaterThanOrEqualTo(SEED.size());
        for (SchoolRecord s : SEED) {
            String account = s.accountNumber().reveal();
            assertThat(stored).noneMatch(entry -> entry.string().contains(account.substring(0, account.length() - 4)));
        }
        assertThat(get(a, "/schools/mit")).isEqualTo(get(b, "/schools/mit"));
        assertThat(get(a, "/schools?country=GB")).hasSize(3).isEqualTo(get(b, "/schools?country=GB"));
        for (var app : List.of(a, b)) {
            JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort()
                    + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(health.get("catalogue").get("message").asText()).endsWith("schools (etcd /remit/data/schools/)");
        }
    }

    @Test
    void aSchoolCreatedOnOneIsServedByTheOtherAndTheIdIsTakenForBoth() throws Exception {
        String body = """
                {"id": "lmu-munich", "name": "Ludwig Maximilian University of Munich", "country": "DE", "currency": "EUR",
                 "paymentMethods": ["BANK_TRANSFER"], "bankAccount": {"bankName": "Deutsche Bank", "accountNumber": "DE89370400440532013000"}}
                """;
        HttpResponse<String> created = send(a, "POST", "/schools", body);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(send(a, "GET", "/schools/lmu-munich", null).statusCode()).as("read back at once").isEqualTo(200);

        Await.until("b to serve lmu-munich", () -> send(b, "GET", "/schools/lmu-munich", null).statusCode() == 200);
        assertThat(get(b, "/schools/lmu-munich")).isEqualTo(JSON.readTree(created.body()));
        assertThat(send(b, "POST", "/schools", body).statusCode()).isEqualTo(409);

        String renamed = body.replace("Ludwig Maximilian University of Munich", "LMU Munich").replace("\"id\": \"lmu-munich\", ", "");
        assertThat(send(b, "PUT", "/schools/lmu-munich", renamed).statusCode()).isEqualTo(200);
        Await.until("a to see the new name", () -> {
            try {
                return get(a, "/schools/lmu-munich").get("name").asText().equals("LMU Munich");
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(get(a, "/schools?name=lmu")).hasSize(1);
    }
}
