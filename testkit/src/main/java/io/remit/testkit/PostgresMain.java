package io.remit.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PostgreSQL of {@code ./remit local}: {@code java -jar remit-postgres.jar --port 5432 --dir var/postgres
 * --database payments}. Keeps its data in {@code DIR/data} across runs, with durable commits
 * ({@link PostgresServer.Durability#DURABLE}), prints one line {@code postgres ready jdbc:postgresql://...}
 * when it accepts connections, and stops PostgreSQL when the JVM is told to stop (SIGTERM, SIGINT).
 *
 * <p>It lives exactly as long as its postmaster: when the postmaster dies on its own (killed,
 * crashed), this process prints {@code postgres: the postmaster (pid N) died ...} on standard error
 * within {@link #WATCH_INTERVAL} or so and exits with status {@value #POSTMASTER_DIED}, so whatever
 * started it sees PostgreSQL gone.
 */
public final class PostgresMain {

    /** The exit status when the postmaster died under this process. */
    public static final int POSTMASTER_DIED = 3;
    static final Duration WATCH_INTERVAL = Duration.ofMillis(250);

    private PostgresMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 5432;
        Path dir = Path.of("var/postgres");
        String database = "payments";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--database" -> database = args[++i];
                default -> {
                    System.err.println("usage: --port PORT --dir DIR --database NAME (unknown: " + args[i] + ")");
                    System.exit(2);
                }
            }
        }
        PostgresServer server = PostgresServer.start(dir.toAbsolutePath(), port, false);
        server.createDatabase(database);
        long pid = server.postmasterPid().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL started but " + server.dataDirectory().resolve("postmaster.pid") + " names no process"));
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "the postmaster (pid " + pid + ") is already gone"));
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            server.close();
            stopped.countDown();
        }, "postgres-stop"));
        watch(postmaster, stopping);
        System.out.println("postgres ready " + server.jdbcUrl(database) + " user " + server.user()
                + " (postmaster pid " + pid + ", durable commits)");
        System.out.flush();
        stopped.await();
    }

    /** Exits with {@link #POSTMASTER_DIED} once {@code postmaster} is gone, unless this JVM is stopping it. */
    private static void watch(ProcessHandle postmaster, AtomicBoolean stopping) {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postmaster-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(() -> {
            if (!postmaster.isAlive() && !stopping.get()) {
                System.err.println("postgres: the postmaster (pid " + postmaster.pid() + ") died without being "
                        + "asked to stop; exiting with status " + POSTMASTER_DIED + " (start again to recover the data)");
                System.err.flush();
                watcher.shutdown();
                System.exit(POSTMASTER_DIED);
            }
        }, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
}
