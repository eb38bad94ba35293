package io.remit.scheduler.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.remit.scheduler.spec.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which PUT bodies are Marathon's rollback to a version, and what such a body may hold. */
class RollbackRequestTest {

    static final ServiceSpec CURRENT = AppTranslationTest.create(AppTranslationTest.WEB).spec();
    static final String SHOWN = "2026-11-28T06:52:00.123Z";

    static java.util.Optional<String> read(String body) {
        return RollbackRequest.read(AppTranslationTest.json(body), "web", CURRENT);
    }

    static List<String> problems(String body) {
        MarathonError e = catchThrowableOfType(() -> read(body), MarathonError.class);
        assertThat(e).as("refused: %s", body).isNotNull();
        assertThat(e.getMessage()).startsWith("Object is not valid: a rollback to a version");
        return e.getMessage().isEmpty() ? List.of() : detailLines(e);
    }

    static List<String> detailLines(MarathonError e) {
        jakarta.ws.rs.core.Response r = new MarathonError.Mapper().toResponse(e);
        assertThat(r.getStatus()).isEqualTo(422);
        return ((MarathonError.Body) r.getEntity()).details().stream()
                .flatMap(d -> d.errors().stream().map(x -> d.path() + ": " + x)).toList();
    }

    @Test
    void aVersionAloneOrWithTheIdIsARollback() {
        assertThat(read("{\"version\": \"2026-11-28T06:50:00.001Z\"}")).contains("2026-11-28T06:50:00.001Z");
        assertThat(read("{\"id\": \"/web\", \"version\": \"2026-11-28T06:50:00.001Z\"}")).contains("2026-11-28T06:50:00.001Z");
        assertThat(read("{\"version\": \"2026-11-28T06:50:00.001Z\", \"tasks\": [], \"deployments\": []}"))
                .as("what a GET answers besides is ignored, as in any PUT").contains("2026-11-28T06:50:00.001Z");
    }

    @Test
    void noVersionTheCurrentOneOrANewAppIsAnOrdinaryChange() {
        assertThat(read("{\"instances\": 3}")).isEmpty();
        assertThat(read("{\"version\": null, \"instances\": 3}")).isEmpty();
        assertThat(read("{\"version\": \"" + SHOWN + "\", \"instances\": 3}")).as("a client sending back what it read").isEmpty();
        assertThat(RollbackRequest.read(AppTranslationTest.json("{\"version\": \"2026-11-28T06:50:00.001Z\"}"), "web", null))
                .isEmpty();
    }

    @Test
    void aRollbackTakesNothingElseAndAVersionIsATimeEveryProblemAtOnce() {
        assertThat(problems("{\"version\": \"2026-11-28T06:50:00.001Z\", \"cmd\": \"x\", \"instances\": 2}"))
                .containsExactlyInAnyOrder(
                        "/cmd: not with a version: a PUT that names a version rolls the app back to it and takes nothing "
                                + "else (leave version out to change fields)",
                        "/instances: not with a version: a PUT that names a version rolls the app back to it and takes "
                                + "nothing else (leave version out to change fields)");
        assertThat(problems("{\"version\": \"last tuesday\", \"id\": \"/api\"}")).containsExactlyInAnyOrder(
                "/version: must be one of the app's versions (GET /v2/apps/web/versions), a time such as "
                        + "2026-11-28T06:52:00.123Z; got \"last tuesday\"",
                "/id: must match the id in the path (/web), got \"/api\"");
        assertThat(problems("{\"version\": 3}")).containsExactly("/version: must be one of the app's versions "
                + "(GET /v2/apps/web/versions), a time such as 2026-11-28T06:52:00.123Z; got 3");
    }
}
