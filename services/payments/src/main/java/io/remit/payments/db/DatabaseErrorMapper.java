package io.remit.payments.db;

import io.remit.kit.http.ApiError;
import io.remit.kit.http.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.tomcat.jdbc.pool.PoolExhaustedException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a database failure that reached a resource in the kit's {@link ApiError} shape: when
 * PostgreSQL cannot be reached (down, restarting, refusing connections, the pool empty) a 503 with
 * {@code Retry-After}, naming the database as the dependency, since the same request can simply be
 * sent again (a creation that failed this way released or never took its key, and one whose commit
 * did happen is answered from its key); any other database error a 500 whose details are only in
 * the log, under the id the answer gives.
 */
public final class DatabaseErrorMapper implements ExceptionMapper<JdbiException> {

    /** Seconds a client should wait before trying again while the database is unavailable. */
    public static final String RETRY_AFTER_SECONDS = "2";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseErrorMapper.class);
    /**
     * SQLSTATEs that mean "not reachable now" rather than "this statement is wrong": class 08 is
     * checked apart; these are admin shutdown, crash shutdown, starting up or in recovery, and
     * too many connections.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    @Override
    public Response toResponse(JdbiException e) {
        String reason = unavailableReason(e);
        if (reason != null) {
            LOG.warn("answering 503, the database is unavailable: {}", reason);
            return respond(new ApiError(503, "the payments database is unavailable; retry later",
                    List.of(new Problem("database", reason))), Map.of("Retry-After", RETRY_AFTER_SECONDS));
        }
        String id = String.format("%016x", ThreadLocalRandom.current().nextLong());
        LOG.error("database error {} answering 500", id, e);
        return respond(new ApiError(500, "internal error (logged as " + id + ")", List.of()), Map.of());
    }

    /**
     * Why {@code e} means the database could not be reached, or null when it is another kind of
     * failure. Looks through the whole cause chain.
     */
    public static String unavailableReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException || t instanceof ConnectException
                    || t instanceof SQLTransientConnectionException || t instanceof PoolExhaustedException) {
                return describe(t);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return describe(t);
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    private static Response respond(ApiError body, Map<String, String> headers) {
        Response.ResponseBuilder r = Response.status(body.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        headers.forEach(r::header);
        return r.build();
    }
}
