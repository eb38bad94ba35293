package io.remit.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor command as an agent runs it, in a sandbox holding fresh copies of the built jar
 * and its class data sharing archive (as the fetcher leaves them: new modification times): the
 * executor JVM must take the archive. Without the command's {@code touch}, it must not.
 */
class ExecutorArchiveIT {

    private static final Path JAR = Path.of(System.getProperty("remit.executor.jar", "../executors/target/remit-executor.jar"));

    @Test
    void theExecutorJvmMapsTheArchiveBuiltWithItsJar(@TempDir Path sandbox) throws Exception {
        TaskInfoFactory factory = factory();
        String command = factory.executorCommand(true);
        String log = run(command, sandbox, factory);
        assertThat(log).contains("Mapped dynamic region").doesNotContain("Unable to use shared archive")
                .doesNotContain("not the one used");
    }

    @Test
    void withoutPinningTheFetchedJarsTimeTheArchiveIsRefused(@TempDir Path sandbox) throws Exception {
        TaskInfoFactory factory = factory();
        String command = factory.executorCommand(true);
        String withoutTouch = command.substring(command.indexOf("exec java"));
        assertThat(run(withoutTouch, sandbox, factory)).contains("not the one used");
    }

    private static TaskInfoFactory factory() {
        assertThat(JAR).as("the executor jar (executors' package phase)").isRegularFile();
        return new TaskInfoFactory(new TaskInfoFactory.Settings(URI.create("http://127.0.0.1:1/artifacts"),
                JAR.getFileName().toString(), List.of("http://127.0.0.1:2379"), null, null, 0.1, 64, Duration.ofSeconds(2),
                JAR.getParent(), false));
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code command} as the agent would, with the JVM's CDS log on; the executor stops at once (no agent). */
    private static String run(String command, Path sandbox, TaskInfoFactory factory) throws IOException, InterruptedException {
        Path archive = JAR.resolveSibling(factory.archiveFile(sha256(JAR)));
        assertThat(archive).as("the archive the build makes beside the jar, named by its SHA-256").isRegularFile();
        Files.copy(JAR, sandbox.resolve(JAR.getFileName()));
        Files.copy(archive, sandbox.resolve(factory.archiveName())); // as the fetcher names it
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(sandbox.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:cds=info,cds+dynamic=info");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(log).as("the executor started and stopped for want of an agent").contains("not started by a Mesos agent");
        return log;
    }
}
