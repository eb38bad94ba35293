package io.remit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The testkit's PostgreSQL keeps what it acknowledged, even when its postmaster is killed. */
class PostgresServerIT {

    @Test
    void commitsAreDurableByDefault() throws Exception {
        try (PostgresServer pg = PostgresServer.start(); Connection c = connect(pg)) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void theFastModeSaysWhatItIs() throws Exception {
        Path base = Files.createTempDirectory("remit-pg-fast");
        try (PostgresServer pg = PostgresServer.start(base, EtcdServer.freePort(), true,
                PostgresServer.Durability.FAST_NOT_CRASH_SAFE); Connection c = connect(pg)) {
            assertThat(show(c, "fsync")).isEqualTo("off");
            assertThat(show(c, "synchronous_commit")).isEqualTo("off");
        }
    }

    @Test
    void everyCommitAcknowledgedBeforeAKillMinus9OfThePostmasterIsThereAfterARestart() throws Exception {
        Path base = Files.createTempDirectory("remit-pg-crash");
        int port = EtcdServer.freePort();
        int commits = 200;
        PostgresServer first = PostgresServer.start(base, port, false);
        try (Connection c = connect(first); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acknowledged (n INTEGER PRIMARY KEY)");
            for (int n = 1; n <= commits; n++) {
                s.execute("INSERT INTO acknowledged VALUES (" + n + ")"); // autocommit: one commit each
            }
        }
        first.crash(Duration.ofSeconds(20));

        try (PostgresServer again = PostgresServer.start(base, port, false); Connection c = connect(again);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), max(n) FROM acknowledged")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows committed before the kill").isEqualTo(commits);
            assertThat(rs.getInt(2)).isEqualTo(commits);
        }
    }

    private static Connection connect(PostgresServer pg) throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), "");
    }

    private static String show(Connection c, String setting) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
