package io.remit.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service JVM as a child process of the executor, in the sandbox: its stdout and stderr are
 * pumped into {@code service.stdout} and {@code service.stderr} (rotated, see {@link RotatingFile})
 * and its pid is written to {@code service.pid}.
 *
 * <p>Threading: one pump thread per stream; {@link #exited()} completes on a JDK thread once the
 * process has ended and both streams are drained (or after {@link #DRAIN_WAIT_MS} ms, should a
 * grandchild hold a pipe open). The signal methods may be called from any thread.
 */
final class ServiceProcess {

    static final String STDOUT = "service.stdout";
    static final String STDERR = "service.stderr";
    static final String PID_FILE = "service.pid";
    private static final long DRAIN_WAIT_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

    /** How the service ended, with the last lines of its output. */
    record Ended(ExitStatus status, List<String> lastLines) { }

    private final Process process;
    private final CompletableFuture<Ended> exited;

    private ServiceProcess(Process process, CompletableFuture<Ended> exited) {
        this.process = process;
        this.exited = exited;
    }

    /**
     * Starts {@code argv} in {@code sandbox} with the executor's environment minus
     * {@code removeEnv}, plus {@code env}.
     */
    static ServiceProcess start(List<String> argv, Path sandbox, Map<String, String> env, List<String> removeEnv,
                                long maxLogBytes, int logFiles) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(sandbox.toFile());
        removeEnv.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        RotatingFile out = new RotatingFile(sandbox.resolve(STDOUT), maxLogBytes, logFiles);
        RotatingFile err = new RotatingFile(sandbox.resolve(STDERR), maxLogBytes, logFiles);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            out.close();
            err.close();
            throw e;
        }
        Files.writeString(sandbox.resolve(PID_FILE), p.pid() + "\n", StandardCharsets.UTF_8);
        LineTail tail = new LineTail(LineTail.DEFAULT_LINES);
        Thread outPump = OutputPump.start("service-stdout", p.getInputStream(), out, tail);
        Thread errPump = OutputPump.start("service-stderr", p.getErrorStream(), err, tail);
        p.getOutputStream().close();
        CompletableFuture<Ended> exited = p.onExit().thenApply(ended -> {
            join(outPump);
            join(errPump);
            return new Ended(new ExitStatus(ended.exitValue()), tail.lines());
        });
        return new ServiceProcess(p, exited);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    CompletableFuture<Ended> exited() {
        return exited;
    }

    /**
     * SIGTERM: the JVM runs its shutdown hooks (Dropwizard stops Jetty gracefully). Signals go
     * through the {@link ProcessHandle}: {@link Process#destroy()} would also close the pipes and
     * lose the service's last words. The service's children get it too, as a shell command's
     * would from Mesos's command executor (a shell does not pass SIGTERM on).
     */
    void terminate() {
        LOG.info("sending SIGTERM to the service (pid {})", process.pid());
        process.toHandle().destroy();
        process.descendants().forEach(ProcessHandle::destroy);
    }

    /** SIGKILL, to the service and anything it started. */
    void kill() {
        LOG.warn("sending SIGKILL to the service (pid {})", process.pid());
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }

    private static void join(Thread pump) {
        try {
            pump.join(DRAIN_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
