package io.remit.payments.db;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Span;
import brave.Tracer;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.remit.payments.support.TestPostgres;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SqlSpans on a real PostgreSQL: what a trace shows of the statements a request runs. */
class SqlSpansIT {

    private static final String DB = TestPostgres.newDatabase("sqlspans");

    private final List<MutableSpan> reported = new CopyOnWriteArrayList<>();
    private brave.Tracing tracing;
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        tracing = brave.Tracing.newBuilder().localServiceName("payments").sampler(Sampler.ALWAYS_SAMPLE)
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        reported.add(span);
                        return true;
                    }
                }).build();
        jdbi = TestPostgres.jdbi(DB);
        jdbi.setSqlLogger(new SqlSpans(tracing.tracer(), SqlLogger.NOP_SQL_LOGGER));
        jdbi.useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS notes (id INT, body TEXT)"));
        reported.clear();
    }

    @AfterEach
    void tearDown() {
        tracing.close();
    }

    @Test
    void aSampledRequestShowsEachStatementAsAChildSpanWithItsSqlAndNoParameters() {
        Tracer tracer = tracing.tracer();
        Span request = tracer.newTrace().name("post /notes").start();
        try (Tracer.SpanInScope ignored = tracer.withSpanInScope(request)) {
            jdbi.useHandle(h -> {
                h.createUpdate("/* notes.add */ INSERT INTO notes (id, body) VALUES (:id, :body)")
                        .bind("id", 7).bind("body", "secret text").execute();
                h.createQuery("SELECT body FROM notes WHERE id = :id").bind("id", 7).mapTo(String.class).one();
            });
        } finally {
            request.finish();
        }

        List<MutableSpan> sql = reported.stream().filter(s -> "postgresql".equals(s.remoteServiceName())).toList();
        assertThat(sql).extracting(MutableSpan::name).containsExactly("sql insert", "sql select");
        assertThat(sql).allSatisfy(s -> {
            assertThat(s.parentId()).isEqualTo(request.context().spanIdString());
            assertThat(s.kind()).isEqualTo(Span.Kind.CLIENT);
        });
        assertThat(sql.get(0).tag("sql.query")).contains("INSERT INTO notes").doesNotContain("secret text");
        assertThat(sql.get(1).tag("sql.query")).startsWith("SELECT body FROM notes WHERE id = ").doesNotContain("7");
    }

    @Test
    void anUnsampledRequestReportsNoSqlSpanAndItsStatementsStillRun() {
        Tracer tracer = tracing.tracer();
        Span request = tracer.nextSpan(brave.propagation.TraceContextOrSamplingFlags.NOT_SAMPLED).start();
        try (Tracer.SpanInScope ignored = tracer.withSpanInScope(request)) {
            jdbi.useHandle(h -> h.execute("INSERT INTO notes (id, body) VALUES (8, 'unsampled')"));
        } finally {
            request.finish();
        }

        assertThat(reported).isEmpty();
        int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM notes WHERE id = 8").mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void aStatementOutsideAnyRequestStartsNoTrace() {
        jdbi.useHandle(h -> h.execute("SELECT 1"));

        assertThat(reported).isEmpty();
    }
}
