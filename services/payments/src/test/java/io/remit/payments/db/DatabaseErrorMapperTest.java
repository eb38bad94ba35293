package io.remit.payments.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.kit.http.ApiError;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

class DatabaseErrorMapperTest {

    private final DatabaseErrorMapper mapper = new DatabaseErrorMapper();

    @Test
    void anUnreachableDatabaseIs503WithRetryAfterNamingTheDatabase() {
        for (RuntimeException e : new RuntimeException[] {
                new ConnectionException(new SQLException("Connection to 127.0.0.1:5433 refused", "08001",
                        new ConnectException("Connection refused"))),
                new UnableToExecuteStatementException(new SQLException("An I/O error occurred while sending to the backend",
                        "08006"), null),
                new UnableToExecuteStatementException(new SQLException("the database system is starting up", "57P03"), null),
                new UnableToExecuteStatementException(new SQLException("terminating connection due to administrator command",
                        "57P01"), null)}) {
            Response r = mapper.toResponse((org.jdbi.v3.core.JdbiException) e);
            assertThat(r.getStatus()).as(e.toString()).isEqualTo(503);
            assertThat(r.getHeaderString("Retry-After")).isEqualTo(DatabaseErrorMapper.RETRY_AFTER_SECONDS);
            ApiError body = (ApiError) r.getEntity();
            assertThat(body.code()).isEqualTo(503);
            assertThat(body.details().get(0).path()).isEqualTo("database");
        }
    }

    @Test
    void anyOtherDatabaseErrorIsA500InTheSameShapeWithoutItsDetails() {
        Response r = mapper.toResponse(new UnableToExecuteStatementException(
                new SQLException("duplicate key value violates unique constraint \"payments_pkey\"", "23505"), null));

        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getHeaderString("Retry-After")).isNull();
        ApiError body = (ApiError) r.getEntity();
        assertThat(body.message()).startsWith("internal error (logged as ").doesNotContain("payments_pkey");
    }
}
