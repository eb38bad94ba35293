package io.remit.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * The JSON logging section configs/scheduler.yml documents, taken from its comment as an operator
 * would paste it, is a valid Dropwizard logging configuration whose lines are JSON objects with
 * the services' field names and the scheduler's service, version and instance.
 */
class JsonLoggingConfigTest {

    static String documentedSnippet() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../configs/scheduler.yml"));
        int start = lines.indexOf("# logging:");
        assertThat(start).as("the commented logging section in configs/scheduler.yml").isPositive();
        List<String> snippet = new ArrayList<>();
        for (int i = start; i < lines.size() && !lines.get(i).equals("#"); i++) {
            snippet.add(lines.get(i).substring(2));
        }
        return String.join("\n", snippet) + "\n";
    }

    @Test
    void theDocumentedSnippetLogsOneJsonObjectPerLineWithServiceVersionAndInstance() throws Exception {
        ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
        String substituted = SchedulerApplication.substitutor().replace(documentedSnippet());
        DefaultLoggingFactory logging = yaml.treeToValue(yaml.readTree(substituted).path("logging"), DefaultLoggingFactory.class);
        @SuppressWarnings("unchecked")
        ConsoleAppenderFactory<ILoggingEvent> console = (ConsoleAppenderFactory<ILoggingEvent>) logging.getAppenders().get(0);
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        @SuppressWarnings("unchecked")
        LayoutBase<ILoggingEvent> layout = (LayoutBase<ILoggingEvent>) console.getLayout().build(context, TimeZone.getDefault());
        layout.start();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.remit.scheduler.engine.SchedulerEngine"), Level.INFO,
                "Launching {} on {}", null, new Object[] {"[fx.1]", "agent-a"});
        event.setThreadName("engine");

        String line = layout.doLayout(event);

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger").asText()).isEqualTo("io.remit.scheduler.engine.SchedulerEngine");
        assertThat(json.path("thread").asText()).isEqualTo("engine");
        assertThat(json.path("message").asText()).isEqualTo("Launching [fx.1] on agent-a");
        assertThat(json.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)");
        assertThat(json.path("service").asText()).isEqualTo("remit-scheduler");
        assertThat(json.path("version").asText()).isEqualTo(SchedulerApplication.version()).isNotBlank();
        String bind = System.getenv().getOrDefault("REMIT_BIND", "127.0.0.1");
        String port = System.getenv().getOrDefault("REMIT_PORT", "8080");
        assertThat(json.path("instance").asText()).isEqualTo(bind + ":" + port);
    }

    @Test
    void theVersionVariableFallsBackToTheJarsVersionAndOtherVariablesKeepTheirDefaults() {
        assertThat(SchedulerApplication.substitutor().replace("${REMIT_SCHEDULER_VERSION}")).isEqualTo(
                System.getenv().getOrDefault("REMIT_SCHEDULER_VERSION", SchedulerApplication.version()));
        assertThat(SchedulerApplication.substitutor().replace("${REMIT_NO_SUCH_VARIABLE_HERE:-fallback}")).isEqualTo("fallback");
    }
}
