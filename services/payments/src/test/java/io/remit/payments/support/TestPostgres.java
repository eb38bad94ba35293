package io.remit.payments.support;

import io.remit.testkit.EtcdServer;
import io.remit.testkit.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * One real PostgreSQL 14 (the testkit's {@link PostgresServer}) for every integration test class
 * of this JVM; each class takes its own database in it. Started on first use, stopped when the
 * JVM exits. Its binaries and data live under {@code target/embedded-pg}, a folder the
 * {@code nobody} user that runs it under root can reach.
 */
public final class TestPostgres {

    public static final String USER = "postgres";
    private static PostgresServer server;

    private TestPostgres() {
    }

    /** A new, empty database; its JDBC URL (user {@value #USER}, no password). */
    public static synchronized String newDatabase(String prefix) {
        PostgresServer pg = server();
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        pg.createDatabase(name);
        return pg.jdbcUrl(name);
    }

    /** A JDBI on {@code url}, for looking into the database a test's instances use. */
    public static Jdbi jdbi(String url) {
        return Jdbi.create(url, USER, "");
    }

    private static PostgresServer server() {
        if (server == null) {
            try {
                PostgresServer started = PostgresServer.start(Path.of("target", "embedded-pg").toAbsolutePath(),
                        EtcdServer.freePort(), true);
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-test-postgres"));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }
}
