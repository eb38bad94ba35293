package io.remit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code remit-postgres.jar} (PostgresMain) as {@code ./remit local} runs it: a process of its own. */
class PostgresMainIT {

    @Test
    void exitsWithANonZeroStatusAndSaysWhyWhenItsPostmasterIsKilled() throws Exception {
        Path dir = Files.createTempDirectory("remit-pg-main");
        Path log = dir.resolve("postgres.log");
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PostgresMain.class.getName(),
                "--port", String.valueOf(EtcdServer.freePort()), "--dir", dir.toString(), "--database", "payments")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLine(log, "postgres ready", 120);
            List<String> pidFile = Files.readAllLines(dir.resolve("data").resolve("postmaster.pid"));
            long postmaster = Long.parseLong(pidFile.get(0).trim());
            assertThat(Files.readString(log)).contains("postmaster pid " + postmaster, "durable commits");

            ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();

            assertThat(main.waitFor(30, TimeUnit.SECONDS)).as("PostgresMain exited after its postmaster died").isTrue();
            assertThat(main.exitValue()).isEqualTo(PostgresMain.POSTMASTER_DIED);
            assertThat(Files.readString(log)).contains("the postmaster (pid " + postmaster + ") died");
        } finally {
            if (main.isAlive()) {
                main.destroy();
                main.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void stopsWithStatusZeroWhenAskedToStop() throws Exception {
        Path dir = Files.createTempDirectory("remit-pg-main");
        Path log = dir.resolve("postgres.log");
        Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PostgresMain.class.getName(),
                "--port", String.valueOf(EtcdServer.freePort()), "--dir", dir.toString(), "--database", "payments")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitLine(log, "postgres ready", 120);

        main.destroy(); // SIGTERM

        assertThat(main.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(main.exitValue()).as(Files.readString(log)).isIn(0, 143);
        assertThat(Files.readString(log)).doesNotContain("died");
        assertThat(dir.resolve("data").resolve("postmaster.pid")).doesNotExist();
    }

    private static void awaitLine(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(log) || !Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + seconds + " s:\n"
                        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
