package io.remit.localcluster.log;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * localcluster's log layout (see logback.xml): plain text for a console, or, with
 * {@code REMIT_LOG_FORMAT=json} in the environment, one JSON object per line with the field names
 * of the services' JSON logs (Dropwizard's JSON layout as configs/services/*.yml set it up):
 * {@code timestamp, level, thread, logger, message, exception}, the MDC's entries, and
 * {@code service} ({@code localcluster}), {@code version} and {@code instance} (the master's
 * address, once {@link #identify} was told it). Any other value of the variable is plain text.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {

    /** The environment variable that chooses the format. */
    public static final String FORMAT_ENV = "REMIT_LOG_FORMAT";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static volatile String instance;

    private boolean json = "json".equalsIgnoreCase(String.valueOf(System.getenv(FORMAT_ENV)).strip());
    private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    private PatternLayout text;
    private String version;

    /** The pattern of the plain text lines (logback's {@code PatternLayout}). */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** For tests: JSON whatever the environment says. */
    void setJson(boolean json) {
        this.json = json;
    }

    /** The master's address, which every JSON line names as its {@code instance} from now on. */
    public static void identify(String masterAddress) {
        instance = masterAddress;
    }

    @Override
    public void start() {
        String v = LogLayout.class.getPackage().getImplementationVersion();
        version = v == null ? "dev" : v;
        text = new PatternLayout();
        text.setContext(getContext());
        text.setPattern(pattern);
        text.start();
        super.start();
    }

    @Override
    public void stop() {
        if (text != null) {
            text.stop();
        }
        super.stop();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        if (!json) {
            return text.doLayout(event);
        }
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "timestamp", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
        field(b, "level", event.getLevel().toString());
        field(b, "thread", event.getThreadName());
        field(b, "logger", event.getLoggerName());
        field(b, "message", event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            field(b, "exception", ThrowableProxyUtil.asString(thrown));
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> field(b, k, v));
        }
        field(b, "service", "localcluster");
        field(b, "version", version);
        field(b, "instance", instance);
        return b.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    @Override
    public String getContentType() {
        return json ? "application/json" : "text/plain";
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        if (b.length() > 1) {
            b.append(',');
        }
        quote(b, name);
        b.append(':');
        quote(b, value);
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
