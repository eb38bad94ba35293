package io.remit.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's command and the files it fetches, with and without a class data sharing archive. */
class ExecutorCommandTest {

    private static TaskInfoFactory factory(Path artifacts) {
        return new TaskInfoFactory(new TaskInfoFactory.Settings(URI.create("http://10.0.0.1:8080/artifacts"),
                "remit-executor.jar", List.of("http://127.0.0.1:2379"), null, null, 0.1, 64, Duration.ofSeconds(2),
                artifacts));
    }

    @Test
    void withTheArchiveBesideTheJarTheCommandPinsTheJarsTimeAndMapsTheArchive(@TempDir Path artifacts) throws Exception {
        Files.writeString(artifacts.resolve("remit-executor.jar"), "jar");
        Files.writeString(artifacts.resolve("remit-executor.jsa"), "archive");
        TaskInfoFactory factory = factory(artifacts);

        assertThat(factory.archiveName()).isEqualTo("remit-executor.jsa");
        String command = factory.executorCommand(true);
        assertThat(command).startsWith("touch -d 2000-01-01T00:00:00Z remit-executor.jar; exec java ")
                .contains(" -XX:SharedArchiveFile=remit-executor.jsa ").endsWith(" -jar remit-executor.jar");
        assertThat(factory.executorCommand(false)).doesNotContain("SharedArchiveFile").doesNotContain("touch")
                .startsWith("exec java -Xmx64m");
    }
}
