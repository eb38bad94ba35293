package io.remit.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The PostgreSQL of {@code ./remit local}: {@code java -jar remit-postgres.jar --port 5432 --dir var/postgres
 * --database payments}. Keeps its data in {@code DIR/data} across runs, prints one line
 * {@code postgres ready jdbc:postgresql://...} when it accepts connections, and stops PostgreSQL
 * when the JVM is told to stop (SIGTERM, SIGINT).
 */
public final class PostgresMain {

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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "postgres-stop"));
        System.out.println("postgres ready " + server.jdbcUrl(database) + " user " + server.user());
        System.out.flush();
        stopped.await();
    }
}
