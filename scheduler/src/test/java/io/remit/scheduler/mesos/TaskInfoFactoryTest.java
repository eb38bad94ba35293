package io.remit.scheduler.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's shell command, run by {@code sh} as an agent runs it, with a {@code java} on the
 * PATH that prints its arguments: the class data sharing cache goes through its three stages and
 * falls back to the plain command whenever it cannot be used.
 */
class TaskInfoFactoryTest {

    private static final String MAIN = "io.remit.executor.ServiceExecutor";

    @TempDir
    Path work;
    private Path sandbox;
    private Path tmp;
    private Path bin;

    @BeforeEach
    void fakeJavaAndSandbox() throws IOException {
        sandbox = Files.createDirectories(work.resolve("sandbox"));
        tmp = Files.createDirectories(work.resolve("tmp"));
        bin = Files.createDirectories(work.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Files.writeString(sandbox.resolve("remit-executor.jar"), "the executor jar");
    }

    private String run(String jar, Path tmpDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", TaskInfoFactory.executorCommand(jar)).directory(sandbox.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + ":" + env.get("PATH"));
        env.put("TMPDIR", tmpDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private Path cacheFolder() throws IOException {
        try (Stream<Path> users = Files.list(tmp)) {
            List<Path> all = users.toList();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).getFileName().toString()).startsWith("remit-executor-cds-");
            try (Stream<Path> jars = Files.list(all.get(0))) {
                List<Path> folders = jars.toList();
                assertThat(folders).hasSize(1);
                return folders.get(0);
            }
        }
    }

    @Test
    void copiesTheJarThenWritesTheClassListThenUsesTheArchive() throws Exception {
        String plain = TaskInfoFactory.EXECUTOR_JVM_FLAGS + " -cp remit-executor.jar " + MAIN;
        assertThat(run("remit-executor.jar", tmp)).isEqualTo(plain);
        Path folder = cacheFolder();
        assertThat(folder.getFileName().toString()).matches("\\d+-16"); // cksum and size
        assertThat(folder.resolve("remit-executor.jar")).hasSameBinaryContentAs(sandbox.resolve("remit-executor.jar"));

        String second = run("remit-executor.jar", tmp);
        assertThat(second).startsWith(TaskInfoFactory.EXECUTOR_JVM_FLAGS + " -XX:DumpLoadedClassList=" + folder + "/classes.")
                .contains(" -Dremit.executor.cds.classlist=" + folder + "/classes.")
                .contains(" -Dremit.executor.cds.archive=" + folder + "/executor.jsa ")
                .endsWith(" -cp " + folder + "/remit-executor.jar " + MAIN);

        Files.writeString(folder.resolve("executor.jsa"), "archive");
        assertThat(run("remit-executor.jar", tmp)).isEqualTo(TaskInfoFactory.EXECUTOR_JVM_FLAGS
                + " -XX:SharedArchiveFile=" + folder + "/executor.jsa -Dremit.executor.cds.archive=" + folder
                + "/executor.jsa -cp " + folder + "/remit-executor.jar " + MAIN);

        // Another jar content is another folder, starting over.
        Files.writeString(sandbox.resolve("remit-executor.jar"), "the next executor jar");
        assertThat(run("remit-executor.jar", tmp)).isEqualTo(plain);
    }

    @Test
    void runsThePlainCommandWhenTheCacheCannotBeUsed() throws Exception {
        Path odd = Files.createDirectories(work.resolve("t m p"));
        String plain = TaskInfoFactory.EXECUTOR_JVM_FLAGS + " -cp remit-executor.jar " + MAIN;
        assertThat(run("remit-executor.jar", odd)).isEqualTo(plain);
        assertThat(run("remit-executor.jar", odd)).isEqualTo(plain);
        Path file = Files.writeString(work.resolve("not-a-folder"), "");
        assertThat(run("remit-executor.jar", file)).isEqualTo(plain);
        assertThat(run("remit-executor.jar", file)).isEqualTo(plain);
    }

    @Test
    void quotesTheJarName() throws Exception {
        Files.move(sandbox.resolve("remit-executor.jar"), sandbox.resolve("it's $HOME.jar"));
        assertThat(run("it's $HOME.jar", tmp)).isEqualTo(TaskInfoFactory.EXECUTOR_JVM_FLAGS + " -cp it's $HOME.jar " + MAIN);
        assertThat(run("it's $HOME.jar", tmp)).endsWith(" -cp " + cacheFolder() + "/it's $HOME.jar " + MAIN);
    }
}
