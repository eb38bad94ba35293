package io.remit.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes of one {@code ./remit local}, found as an operator finds them with {@code ps}:
 * by their command lines, which name the run's folder, and by the working directory of the
 * executors and services (their sandbox under {@code var/localcluster}). Linux only ({@code /proc}).
 */
final class StackProcesses {

    private final Path var;

    StackProcesses(Path var) {
        this.var = var.toAbsolutePath();
    }

    Optional<ProcessHandle> scheduler() {
        return byCommandLine("scheduler.jar", var.resolve("scheduler.yml").toString());
    }

    /** A scheduler started from another config file in the run's folder (a standby). */
    Optional<ProcessHandle> scheduler(String configFile) {
        return byCommandLine("scheduler.jar", var.resolve(configFile).toString());
    }

    Optional<ProcessHandle> etcd() {
        return byCommandLine("etcd", "--data-dir " + var.resolve("etcd"));
    }

    Optional<ProcessHandle> postgresWrapper() {
        return byCommandLine("remit-postgres.jar", "--dir " + var.resolve("postgres"));
    }

    /** PostgreSQL's postmaster, from its pid file. */
    Optional<ProcessHandle> postmaster() {
        try {
            String first = Files.readAllLines(var.resolve("postgres/data/postmaster.pid")).get(0).strip();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<ProcessHandle> localcluster() {
        return byCommandLine("localcluster.jar", "--work-dir " + var.resolve("localcluster"));
    }

    /** The executor of task {@code taskId}: the java process running remit-executor.jar in its sandbox. */
    Optional<ProcessHandle> executor(String taskId) {
        return inSandboxes().filter(p -> cwd(p).map(d -> d.toString().contains("remit-executor." + taskId + "/")).orElse(false))
                .filter(p -> commandLine(p).contains("remit-executor.jar")).findFirst();
    }

    /** Every process whose working directory is a sandbox: executors, services, their children. */
    Stream<ProcessHandle> inSandboxes() {
        Path sandboxes = var.resolve("localcluster");
        return ProcessHandle.allProcesses().filter(p -> cwd(p).map(d -> d.startsWith(sandboxes)).orElse(false));
    }

    /** The task id whose sandbox {@code p} runs in, if any. */
    Optional<String> taskOf(ProcessHandle p) {
        return cwd(p).flatMap(d -> {
            for (Path part : d) {
                String name = part.toString();
                if (name.startsWith("remit-executor.")) {
                    return Optional.of(name.substring("remit-executor.".length()));
                }
            }
            return Optional.empty();
        });
    }

    /** A process that runs only this: nothing else of the stack may match both parts. */
    private static Optional<ProcessHandle> byCommandLine(String program, String part) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> {
                    String line = commandLine(p);
                    return line.contains(program) && line.contains(part);
                }).findFirst();
    }

    static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static Optional<Path> cwd(ProcessHandle p) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Sends SIGKILL, as {@code kill -9} does, and waits until the process is gone. */
    static void kill9(ProcessHandle p) {
        p.destroyForcibly();
        p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    /** Aborts every TCP connection to {@code port} on loopback, as a network fault would ({@code ss -K}). */
    static void dropConnectionsTo(int port) {
        run("ss", "-K", "dst", "127.0.0.1", "dport", "=", Integer.toString(port));
    }

    /** SIGSTOP or SIGCONT: a pause as a stalled disk or a long GC would make it. */
    static void signal(ProcessHandle p, String signal) {
        run("kill", "-" + signal, Long.toString(p.pid()));
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<ProcessHandle> alive(List<ProcessHandle> processes) {
        return processes.stream().filter(ProcessHandle::isAlive).toList();
    }
}
