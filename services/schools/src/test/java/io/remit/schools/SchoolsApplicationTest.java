package io.remit.schools;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.remit.kit.client.DependencySettings;
import io.remit.kit.client.Endpoints;
import io.remit.kit.client.ServiceClient;
import io.remit.schools.api.School;
import io.remit.schools.api.SchoolsClient;
import io.remit.schools.core.SchoolRecord;
import io.remit.schools.core.SeedFile;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The whole schools app alone (catalogue in memory from the bundled seed), over HTTP. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SchoolsApplicationTest {

    static final DropwizardAppExtension<SchoolsConfiguration> APP = new DropwizardAppExtension<>(SchoolsApplication.class,
            ResourceHelpers.resourceFilePath("schools-test.yml"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<SchoolRecord> SEED = SeedFile.load("");

    /** Every way an account number of the seed could appear: normalised and as written with spaces. */
    static List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (SchoolRecord s : SEED) {
            String n = s.accountNumber().reveal();
            secrets.add(n);
            secrets.add(n.substring(0, n.length() - 4)); // everything but the visible last four
        }
        secrets.add("DE89370400440532013000");
        secrets.add("DE89 3704 0044 0532 0130 00");
        return secrets;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + APP.getLocalPort() + path;
    }

    private static Response get(String path) {
        return APP.client().target(url(path)).request().get();
    }

    private static Response send(String method, String path, String json) {
        return APP.client().target(url(path)).request().method(method, Entity.entity(json, MediaType.APPLICATION_JSON_TYPE));
    }

    private static String text(Response r) {
        try (r) {
            return r.readEntity(String.class);
        }
    }

    private static List<String> ids(String query) throws Exception {
        List<String> ids = new ArrayList<>();
        JSON.readTree(text(get("/schools" + query))).forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    private static String newSchool(String id, String account) {
        return """
                {"id": "%s", "name": "Technische Universität Berlin", "country": "DE", "currency": "EUR",
                 "paymentMethods": ["BANK_TRANSFER"], "bankAccount": {"bankName": "Commerzbank", "accountNumber": "%s"}}
                """.formatted(id, account);
    }

    @Test
    void searchesByPartOfTheNameAndCountrySortedByName() throws Exception {
        assertThat(ids("?name=university%20of&country=gb")).containsExactly("university-of-edinburgh", "university-of-oxford");
        assertThat(ids("?country=US")).containsExactly("mit", "uc-berkeley");
        assertThat(ids("?name=TOKYO")).containsExactly("university-of-tokyo");
        assertThat(ids("?name=nothing-like-it")).isEmpty();
        assertThat(ids("")).hasSizeGreaterThanOrEqualTo(SEED.size());

        try (Response r = get("/schools?country=GBR")) {
            assertThat(r.getStatus()).isEqualTo(422);
            assertThat(r.readEntity(String.class)).contains("\"path\":\"country\"");
        }
    }

    @Test
    void answersOneSchoolWithItsAccountMasked() throws Exception {
        JsonNode school = JSON.readTree(text(get("/schools/university-of-oxford")));
        assertThat(school).isEqualTo(JSON.readTree("""
                {"id": "university-of-oxford", "name": "University of Oxford", "country": "GB", "currency": "GBP",
                 "paymentMethods": ["BANK_TRANSFER", "CARD"],
                 "bankAccount": {"bankName": "Barclays Bank UK", "accountLast4": "9911"}}
                """));

        try (Response r = get("/schools/no-such-school")) {
            assertThat(r.getStatus()).isEqualTo(404);
            assertThat(JSON.readTree(r.readEntity(String.class))).isEqualTo(JSON.readTree(
                    "{\"code\":404,\"message\":\"school no-such-school not found\",\"details\":[]}"));
        }
    }

    @Test
    void createsASchoolOnceAndRefusesTheSameIdAgain() throws Exception {
        try (Response r = send("POST", "/schools", newSchool("tu-berlin", "DE89 3704 0044 0532 0130 00"))) {
            assertThat(r.getStatus()).isEqualTo(201);
            assertThat(r.getLocation().getPath()).isEqualTo("/schools/tu-berlin");
            School created = r.readEntity(School.class);
            assertThat(created.bankAccount()).isEqualTo(new School.MaskedAccount("Commerzbank", "3000"));
        }
        assertThat(JSON.readTree(text(get("/schools/tu-berlin"))).get("name").asText()).isEqualTo("Technische Universität Berlin");

        try (Response r = send("POST", "/schools", newSchool("tu-berlin", "DE89370400440532013000"))) {
            assertThat(r.getStatus()).isEqualTo(409);
            JsonNode error = JSON.readTree(r.readEntity(String.class));
            assertThat(error.get("message").asText()).isEqualTo("school tu-berlin already exists");
            assertThat(error.get("details").get(0).get("path").asText()).isEqualTo("id");
        }
    }

    @Test
    void refusesABadSchoolWithEveryProblem() throws Exception {
        String body = """
                {"id": "Not An Id", "country": "XX", "currency": "EURO", "paymentMethods": ["CHEQUE", "CARD"],
                 "bankAccount": {"accountNumber": "DE00 3704 0044 0532 0130 00"}}
                """;
        try (Response r = send("POST", "/schools", body)) {
            assertThat(r.getStatus()).isEqualTo(422);
            JsonNode error = JSON.readTree(r.readEntity(String.class));
            assertThat(error.get("message").asText()).isEqualTo("invalid request: 7 problems");
            List<String> fields = new ArrayList<>();
            error.get("details").forEach(d -> fields.add(d.get("path").asText() + ": " + d.get("message").asText()));
            assertThat(fields).containsExactly(
                    "id: must be 1 to 64 lowercase letters, digits and inner hyphens, e.g. university-of-oxford",
                    "name: is required",
                    "country: is not an ISO 3166-1 alpha-2 country code: XX",
                    "currency: is not an ISO 4217 currency code: EURO",
                    "paymentMethods[0]: unknown payment method CHEQUE (known: BANK_TRANSFER, CARD, DIRECT_DEBIT, MOBILE_WALLET)",
                    "bankAccount.bankName: is required",
                    "bankAccount.accountNumber: is not a valid IBAN: its check digits do not match");
        }
        try (Response r = send("POST", "/schools", "")) {
            assertThat(r.getStatus()).isEqualTo(422);
        }
    }

    @Test
    void replacesASchoolKeepingTheAccountNumberUnlessANewOneIsGiven() throws Exception {
        send("POST", "/schools", newSchool("tu-berlin-2", "DE89370400440532013000")).close();
        String renamed = """
                {"name": "TU Berlin", "country": "DE", "currency": "EUR", "paymentMethods": ["CARD"],
                 "bankAccount": {"bankName": "Commerzbank"}}
                """;
        JsonNode kept = JSON.readTree(text(send("PUT", "/schools/tu-berlin-2", renamed)));
        assertThat(kept.get("name").asText()).isEqualTo("TU Berlin");
        assertThat(kept.get("bankAccount").get("accountLast4").asText()).isEqualTo("3000");

        String newAccount = renamed.replace("\"Commerzbank\"}", "\"Commerzbank\", \"accountNumber\": \"123456789\"}");
        assertThat(JSON.readTree(text(send("PUT", "/schools/tu-berlin-2", newAccount))).get("bankAccount").get("accountLast4").asText())
                .isEqualTo("6789");

        try (Response r = send("PUT", "/schools/not-there", renamed)) {
            assertThat(r.getStatus()).isEqualTo(404);
        }
        try (Response r = send("PUT", "/schools/tu-berlin-2", renamed.replace("{\"name\"", "{\"id\": \"other\", \"name\""))) {
            assertThat(r.getStatus()).isEqualTo(422);
            assertThat(r.readEntity(String.class)).contains("must be the id in the path");
        }
    }

    @Test
    void noAnswerAndNoLogLineEverHoldsAWholeAccountNumber() {
        Logger remitLogs = (Logger) LoggerFactory.getLogger("io.remit");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level level = remitLogs.getLevel();
        remitLogs.setLevel(Level.TRACE);
        remitLogs.addAppender(captured);
        root.addAppender(captured);
        List<String> answers = new ArrayList<>();
        try {
            answers.add(text(get("/schools")));
            for (SchoolRecord s : SEED) {
                answers.add(text(get("/schools/" + s.id())));
                answers.add(text(get("/schools?name=" + s.name().substring(0, 3).replace(" ", "%20"))));
            }
            answers.add(text(send("POST", "/schools", newSchool("tu-berlin-3", "DE89 3704 0044 0532 0130 00"))));
            answers.add(text(send("POST", "/schools", newSchool("tu-berlin-3", "DE89 3704 0044 0532 0130 00"))));
            answers.add(text(send("POST", "/schools", newSchool("tu-berlin-4", "DE88 3704 0044 0532 0130 00"))));
            answers.add(text(send("PUT", "/schools/tu-berlin-3", newSchool("tu-berlin-3", "DE89370400440532013000"))));
            answers.add(text(send("POST", "/schools", "{\"id\": \"x\", \"bankAccount\": {\"accountNumber\": 12}}")));
        } finally {
            remitLogs.detachAppender(captured);
            root.detachAppender(captured);
            remitLogs.setLevel(level);
        }
        List<String> logLines = captured.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
        assertThat(logLines).as("the create and replace are logged").anyMatch(l -> l.contains("tu-berlin-3"));
        for (String secret : secrets()) {
            assertThat(answers).noneMatch(a -> a.contains(secret));
            assertThat(logLines).noneMatch(l -> l.contains(secret));
        }
    }

    @Test
    void theTypedClientOfPaymentsWorksAgainstIt() {
        SchoolsClient schools = new SchoolsClient(new ServiceClient("schools", new DependencySettings(),
                Endpoints.fixed(List.of(url(""))), APP.getObjectMapper(), new MetricRegistry()));

        School nus = schools.find("nus").orElseThrow();
        assertThat(nus.currency()).isEqualTo("SGD");
        assertThat(nus.accepts("CARD")).isTrue();
        assertThat(schools.find("no-such-school")).isEmpty();
        assertThat(schools.search("university of", "GB")).extracting(School::id)
                .containsExactly("university-of-edinburgh", "university-of-oxford");
        assertThat(schools.search(null, "JP")).extracting(School::id).containsExactly("university-of-tokyo");
    }

    @Test
    void theCatalogueHealthCheckIsCritical() throws Exception {
        JsonNode health = JSON.readTree(text(APP.client().target("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck")
                .request().get()));
        assertThat(health.get("catalogue").get("healthy").asBoolean()).isTrue();
        assertThat(health.get("catalogue").get("message").asText()).endsWith("schools (memory)");
    }
}
