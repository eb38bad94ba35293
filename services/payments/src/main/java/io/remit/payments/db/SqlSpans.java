package io.remit.payments.db;

import brave.Span;
import brave.Tracer;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A span per SQL statement run inside a traced request ({@code sql select}, {@code sql insert},
 * ...; a client span to {@code postgresql}), tagged with the statement as rendered, its parameters
 * left out, then hands the statement on to {@code next} (the JDBI timers). Statements outside a
 * request (the health check's query, the key cleanup) start no trace. Thread-safe: JDBI runs a
 * statement on its caller's thread, between the two calls.
 */
public final class SqlSpans implements SqlLogger {

    private static final int MAX_QUERY = 1000;
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(/\\*.*?\\*/\\s*)+", Pattern.DOTALL);

    private final Tracer tracer;
    private final SqlLogger next;
    private final Map<StatementContext, Span> open = new ConcurrentHashMap<>();

    public SqlSpans(Tracer tracer, SqlLogger next) {
        this.tracer = tracer;
        this.next = next;
    }

    @Override
    public void logBeforeExecution(StatementContext context) {
        next.logBeforeExecution(context);
        if (tracer.currentSpan() == null) {
            return;
        }
        Span span = tracer.nextSpan();
        if (span.isNoop()) {
            return; // an unsampled trace: nothing to name, tag or finish
        }
        String sql = context.getRenderedSql() == null ? "" : context.getRenderedSql().strip();
        span.kind(Span.Kind.CLIENT).name("sql " + verb(sql)).remoteServiceName("postgresql");
        span.tag("sql.query", sql.length() > MAX_QUERY ? sql.substring(0, MAX_QUERY) + "…" : sql);
        open.put(context, span.start());
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        next.logAfterExecution(context);
        Span span = open.remove(context);
        if (span != null) {
            span.finish();
        }
    }

    @Override
    public void logException(StatementContext context, SQLException ex) {
        next.logException(context, ex);
        Span span = open.remove(context);
        if (span != null) {
            span.error(ex).finish();
        }
    }

    private static String verb(String sql) {
        String s = LEADING_COMMENTS.matcher(sql).replaceFirst("");
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return end == 0 ? "statement" : s.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
