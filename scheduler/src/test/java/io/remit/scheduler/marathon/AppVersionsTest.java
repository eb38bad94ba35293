package io.remit.scheduler.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.Specs;
import io.remit.scheduler.state.Revision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An app's Marathon versions from its revisions: one each, unique, in order, and the same for good. */
class AppVersionsTest {

    static final Instant T = Instant.parse("2026-11-28T06:52:00.123456Z");

    static Revision revision(long n, Instant at) {
        return new Revision("web", n, Specs.minimal("web").withVersion("v" + n), "ci", at, "");
    }

    @Test
    void eachRevisionIsAVersionNamedByWhenItWasRecordedNewestFirst() {
        AppVersions v = AppVersions.of(List.of(revision(1, T), revision(3, T.plusSeconds(120)), revision(2, T.plusSeconds(60))));

        assertThat(v.names()).containsExactly("2026-11-28T06:54:00.123Z", "2026-11-28T06:53:00.123Z",
                "2026-11-28T06:52:00.123Z");
        assertThat(v.all()).extracting(x -> x.revision().number()).containsExactly(3L, 2L, 1L);
        assertThat(v.ofRevision(2).orElseThrow().name()).isEqualTo("2026-11-28T06:53:00.123Z");
    }

    @Test
    void revisionsOfOneMillisecondOrOfAClockThatWentBackStillGetOneNameEachInTheirOrder() {
        List<Revision> revisions = List.of(revision(1, T), revision(2, T.plusNanos(300_000)), revision(3, T.minusSeconds(5)),
                revision(4, T.plusSeconds(1)));

        AppVersions v = AppVersions.of(revisions);

        assertThat(v.names()).containsExactly("2026-11-28T06:52:01.123Z", "2026-11-28T06:52:00.125Z",
                "2026-11-28T06:52:00.124Z", "2026-11-28T06:52:00.123Z");
        assertThat(v.names()).doesNotHaveDuplicates();
    }

    @Test
    void aNewRevisionNeverRenamesTheOlderOnes() {
        List<Revision> revisions = new ArrayList<>(List.of(revision(1, T), revision(2, T)));
        List<String> before = AppVersions.of(revisions).names();

        revisions.add(revision(3, T));
        revisions.add(revision(4, T.minusSeconds(60)));
        List<String> after = AppVersions.of(revisions).names();

        assertThat(after.subList(2, 4)).isEqualTo(before);
        assertThat(AppVersions.of(revisions).find(before.get(0)).orElseThrow().revision().number()).isEqualTo(2);
    }

    @Test
    void aVersionIsFoundByItsInstantInAnyIsoSpellingAndNothingElseMatches() {
        AppVersions v = AppVersions.of(List.of(revision(1, Instant.parse("2026-11-28T06:52:00.100Z")), revision(2, T)));

        assertThat(v.find("2026-11-28T06:52:00.100Z").orElseThrow().revision().number()).isEqualTo(1);
        assertThat(v.find("2026-11-28T06:52:00.1Z").orElseThrow().revision().number()).isEqualTo(1);
        assertThat(v.find("2026-11-28T06:52:00.123Z").orElseThrow().revision().number()).isEqualTo(2);
        assertThat(v.find("2026-11-28T06:52:00.123456Z")).as("not a version: finer than a millisecond").isEmpty();
        assertThat(v.find("2026-11-28T06:52:00.101Z")).isEmpty();
        assertThat(v.find("v1")).isEmpty();
        assertThat(v.find("")).isEmpty();
        assertThat(v.describe()).isEqualTo("its versions, newest first: 2026-11-28T06:52:00.123Z, 2026-11-28T06:52:00.100Z");
        assertThat(AppVersions.of(List.of()).describe()).isEqualTo("it has no versions yet");
    }

    @Test
    void aVersionShowsTheDefinitionAsItWasWithoutTasksAndWithSecretsMasked() {
        ServiceSpec old = AppTranslationTest.create(AppTranslationTest.WEB).spec();
        ServiceSpec withSecret = new ServiceSpec(old.id(), old.version(), old.artifacts(), old.config(), old.instances(),
                old.resources(), null, Map.of("TOKEN", EnvValue.secret("hunter2")), old.healthCheck(),
                old.constraints(), null, old.labels(), old.command(), null);

        ObjectNode shown = AppWriter.definition(withSecret, "2026-11-28T06:52:00.125Z");

        assertThat(shown.path("id").asText()).isEqualTo("/web");
        assertThat(shown.path("cmd").asText()).isEqualTo(old.command());
        assertThat(shown.path("instances").asInt()).isEqualTo(2);
        assertThat(shown.path("version").asText()).isEqualTo("2026-11-28T06:52:00.125Z");
        assertThat(shown.path("versionInfo").path("lastConfigChangeAt").asText()).isEqualTo("2026-11-28T06:52:00.125Z");
        assertThat(shown.path("env").path("TOKEN").asText()).isEqualTo(EnvValue.MASK);
        assertThat(shown.toString()).doesNotContain("hunter2");
        assertThat(shown.has("tasks")).isFalse();
        assertThat(shown.has("tasksRunning")).isFalse();
        assertThat(shown.has("deployments")).isFalse();
    }
}
