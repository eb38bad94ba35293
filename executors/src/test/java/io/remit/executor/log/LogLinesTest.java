package io.remit.executor.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.executor.api.ExecutorEnv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLinesTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:15:30.123Z"), ZoneOffset.UTC);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final LogLines.Identity before = LogLines.identity();

    @AfterEach
    void restore() {
        LogLines.identity(before);
    }

    String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCarryTheFieldsOfTheServicesJsonLogsAndTheTask() throws Exception {
        LogLines.identify("hello", "0.1.0", "hello.7f3a");
        LogLines lines = new LogLines(LogLines.Format.JSON, out, CLOCK);
        lines.write("INFO", "io.remit.executor.TaskRunner", "executor", "task hello.7f3a: \"quoted\"\nand a\ttab \u0001",
                null, Map.of());
        lines.write("WARN", "io.remit.executor.Discovery", "discovery", "could not publish", new IllegalStateException("etcd down"),
                Map.of("traceId", "abc"));

        String[] written = written().split("\n");
        assertThat(written).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(written[0]);
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-12-07T10:15:30.123Z");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("thread").asText()).isEqualTo("executor");
        assertThat(first.path("logger").asText()).isEqualTo("io.remit.executor.TaskRunner");
        assertThat(first.path("message").asText()).isEqualTo("task hello.7f3a: \"quoted\"\nand a\ttab \u0001");
        assertThat(first.path("service").asText()).isEqualTo("hello");
        assertThat(first.path("version").asText()).isEqualTo("0.1.0");
        assertThat(first.path("instance").asText()).isEqualTo("hello.7f3a");
        assertThat(first.path("component").asText()).isEqualTo("executor");
        assertThat(first.has("exception")).isFalse();
        JsonNode second = new ObjectMapper().readTree(written[1]);
        assertThat(second.path("exception").asText()).startsWith("java.lang.IllegalStateException: etcd down\n\tat ");
        assertThat(second.path("traceId").asText()).isEqualTo("abc");
    }

    @Test
    void aFieldNotKnownYetIsLeftOutAndAnIdentityFillsInWhatItNames() throws Exception {
        LogLines.identity(LogLines.fromEnv(Map.of()));
        assertThat(LogLines.fromEnv(Map.of(ExecutorEnv.SERVICE_ID, "fx", ExecutorEnv.SERVICE_VERSION, "1.2",
                ExecutorEnv.INSTANCE_ID, "fx.1"))).isEqualTo(new LogLines.Identity("fx", "1.2", "fx.1"));
        LogLines lines = new LogLines(LogLines.Format.JSON, out, CLOCK);
        lines.write("INFO", "x.Y", "main", "m", null, Map.of());
        LogLines.identify("fx", null, null);
        lines.write("INFO", "x.Y", "main", "m", null, Map.of());
        String[] written = written().split("\n");
        JsonNode first = new ObjectMapper().readTree(written[0]);
        JsonNode second = new ObjectMapper().readTree(written[1]);
        assertThat(first.has("service")).isFalse();
        assertThat(first.has("instance")).isFalse();
        assertThat(second.path("service").asText()).isEqualTo("fx");
        assertThat(second.has("version")).isFalse();
    }

    @Test
    void plainTextIsTheFormatSlf4jSimpleWroteWithTheStackTraceBelow() {
        LogLines lines = new LogLines(LogLines.Format.of(null), out, CLOCK);
        lines.write("INFO", "io.remit.executor.ServiceExecutor", "main", "service executor x starting", null, Map.of());
        lines.write("ERROR", "io.remit.executor.TaskRunner", "executor", "launching failed", new RuntimeException("boom"), Map.of());
        String text = written();
        assertThat(text).startsWith("2026-12-07T10:15:30.123+0000 [main] INFO ServiceExecutor - service executor x starting\n"
                + "2026-12-07T10:15:30.123+0000 [executor] ERROR TaskRunner - launching failed\n"
                + "java.lang.RuntimeException: boom\n\tat ");
    }

    @Test
    void onlyJsonInAnyCaseChoosesJson() {
        assertThat(LogLines.Format.of("json")).isEqualTo(LogLines.Format.JSON);
        assertThat(LogLines.Format.of(" JSON ")).isEqualTo(LogLines.Format.JSON);
        assertThat(LogLines.Format.of("text")).isEqualTo(LogLines.Format.TEXT);
        assertThat(LogLines.Format.of("")).isEqualTo(LogLines.Format.TEXT);
        assertThat(LogLines.Format.of(null)).isEqualTo(LogLines.Format.TEXT);
    }

    @Test
    void theLevelPropertyIsReadLeniently() {
        assertThat(ExecutorLogging.level(null)).isEqualTo(Level.INFO);
        assertThat(ExecutorLogging.level("warn")).isEqualTo(Level.WARN);
        assertThat(ExecutorLogging.level("nonsense")).isEqualTo(Level.INFO);
    }

    @Test
    void theBackendFormatsArgumentsAndSkipsWhatIsBelowItsLevel() {
        LogLines lines = new LogLines(LogLines.Format.TEXT, out, CLOCK);
        LineLogger logger = new LineLogger("io.remit.executor.Discovery", lines, Level.INFO);
        logger.debug("hidden {}", 1);
        logger.info("published {} ({})", "/remit/discovery/hello/h.1", Map.of("http", 1));
        logger.warn("could not publish {}", "k", new IllegalStateException("down"));
        String text = written();
        assertThat(text).doesNotContain("hidden")
                .contains("INFO Discovery - published /remit/discovery/hello/h.1 ({http=1})\n")
                .contains("WARN Discovery - could not publish k\njava.lang.IllegalStateException: down");
    }
}
