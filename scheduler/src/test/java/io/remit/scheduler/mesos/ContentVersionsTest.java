package io.remit.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentVersionsTest {

    private static final FileTime PINNED = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

    @Test
    void aFileRewrittenWithTheSameSizeAndPinnedTimeGetsANewVersion(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("remit-executor.jar");
        Files.writeString(jar, "build one");
        Files.setLastModifiedTime(jar, PINNED);
        ContentVersions versions = new ContentVersions();
        String first = versions.of(jar).orElseThrow();
        assertThat(versions.of(jar)).contains(first);

        Files.writeString(jar, "build two"); // same size, and the build pins the time again
        Files.setLastModifiedTime(jar, PINNED);
        assertThat(versions.of(jar)).isPresent().get().isNotEqualTo(first);
    }

    @Test
    void aMissingFileHasNoVersion(@TempDir Path dir) {
        assertThat(new ContentVersions().of(dir.resolve("remit-executor.jsa"))).isEmpty();
    }
}
