package io.remit.localcluster.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LogLayoutTest {

    final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    final Logger logger = context.getLogger("io.remit.localcluster.master.Launcher");

    LogLayout layout(boolean json) {
        LogLayout layout = new LogLayout();
        layout.setContext(context);
        layout.setJson(json);
        layout.start();
        return layout;
    }

    @Test
    void jsonLinesCarryTheServicesFieldsAndLocalclustersIdentity() throws Exception {
        LogLayout.identify("127.0.0.1:5050");
        LoggingEvent event = new LoggingEvent("x", logger, Level.WARN, "Framework {}: task {} is \"invalid\"\n{}",
                new IllegalArgumentException("no ports"), new Object[] {"f-1", "t-1", "second line"});
        event.setThreadName("master");

        String line = layout(true).doLayout(event);

        assertThat(line).endsWith("\n").doesNotContain("\n\t");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("logger").asText()).isEqualTo("io.remit.localcluster.master.Launcher");
        assertThat(json.path("thread").asText()).isEqualTo("master");
        assertThat(json.path("message").asText()).isEqualTo("Framework f-1: task t-1 is \"invalid\"\nsecond line");
        assertThat(json.path("exception").asText()).startsWith("java.lang.IllegalArgumentException: no ports");
        assertThat(json.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)");
        assertThat(json.path("service").asText()).isEqualTo("localcluster");
        assertThat(json.path("version").asText()).isNotBlank();
        assertThat(json.path("instance").asText()).isEqualTo("127.0.0.1:5050");
    }

    @Test
    void plainTextByDefault() {
        LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "Launching task {}", null, new Object[] {"t-1"});
        event.setThreadName("master");
        String line = layout(false).doLayout(event);
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[master\\] i\\.r\\.l\\.m\\.Launcher - Launching task t-1\\R");
    }
}
