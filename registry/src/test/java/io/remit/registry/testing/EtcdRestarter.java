package io.remit.registry.testing;

import io.remit.testkit.EtcdServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Restarts the etcd of an {@link EtcdServer} on the same port and data directory: stops the
 * process by its pid and starts the same command line again. testkit has no restart yet, so the
 * command line is read back from the running process ({@code /proc/<pid>/cmdline} through
 * {@link ProcessHandle}); where that is unavailable, {@link #of} returns empty and the test is
 * skipped. The replacement process is this object's to stop: call {@link #close()} before the
 * server's own {@code close()}, which deletes the data directory.
 */
public final class EtcdRestarter implements AutoCloseable {

    private final EtcdServer server;
    private final List<String> command;
    private ProcessHandle current;
    private Process replacement;

    private EtcdRestarter(EtcdServer server, List<String> command) {
        this.server = server;
        this.command = command;
        this.current = ProcessHandle.of(server.pid()).orElseThrow();
    }

    public static Optional<EtcdRestarter> of(EtcdServer server) {
        return ProcessHandle.of(server.pid()).flatMap(p -> {
            ProcessHandle.Info info = p.info();
            if (info.command().isEmpty() || info.arguments().isEmpty()) {
                return Optional.empty();
            }
            List<String> command = new ArrayList<>();
            command.add(info.command().get());
            command.addAll(List.of(info.arguments().get()));
            return command.contains("--data-dir") ? Optional.of(new EtcdRestarter(server, command)) : Optional.empty();
        });
    }

    /** Stops etcd (SIGTERM to its pid) and waits for it to exit. */
    public void stop() {
        current.destroy();
        try {
            current.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            current.destroyForcibly();
            throw new AssertionError("etcd " + current.pid() + " did not stop", e);
        }
    }

    /** Starts etcd again with the same command line and waits until it is healthy. */
    public void start() {
        String dataDir = command.get(command.indexOf("--data-dir") + 1);
        File log = new File(new File(dataDir).getParentFile(), "etcd-restarted.log");
        try {
            replacement = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        current = replacement.toHandle();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Await.until("restarted etcd to be healthy", Duration.ofSeconds(30), () -> {
            if (!replacement.isAlive()) {
                throw new AssertionError("restarted etcd exited with " + replacement.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"health\":\"true\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    @Override
    public void close() {
        if (replacement != null && replacement.isAlive()) {
            replacement.destroy();
            try {
                if (!replacement.waitFor(10, TimeUnit.SECONDS)) {
                    replacement.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
