package io.remit.executor.log;

import io.remit.executor.api.ExecutorEnv;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the executor's log lines, each in one write so that threads never interleave within a
 * line: plain text as slf4j-simple wrote it before
 * ({@code 2026-12-07T10:15:30.123+0000 [executor] INFO TaskRunner - message}, a stack trace on
 * the lines after), or one JSON object per line with the field names of the services' JSON logs
 * (Dropwizard's JSON layout as configs/services/*.yml set it up):
 * {@code timestamp, level, thread, logger, message, exception} and the MDC's entries, then
 * {@code service, version, instance} (the task id) and {@code component: "executor"}.
 *
 * <p>Threading: any thread. The identity is set once known and read by every line.
 */
public final class LogLines {

    public enum Format {
        TEXT, JSON;

        /** {@code json} (any case) is JSON; anything else, or null, text. */
        public static Format of(String value) {
            return value != null && value.strip().equalsIgnoreCase("json") ? JSON : TEXT;
        }
    }

    /** What every JSON line says the executor runs; any field may be null until known. */
    record Identity(String service, String version, String instance) {
    }

    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT);
    private static final DateTimeFormatter JSON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);
    private static volatile Identity identity = fromEnv(System.getenv());

    private final Format format;
    private final PrintStream out;
    private final Clock clock;

    /** @param clock its zone is the zone of the timestamps */
    public LogLines(Format format, PrintStream out, Clock clock) {
        this.format = format;
        this.out = out;
        this.clock = clock;
    }

    public Format format() {
        return format;
    }

    /** The task's service, version and id, from LAUNCH's spec; null leaves a field as it was. */
    public static void identify(String service, String version, String instance) {
        Identity was = identity;
        identity = new Identity(service != null ? service : was.service(), version != null ? version : was.version(),
                instance != null ? instance : was.instance());
    }

    /** The identity the scheduler put in the executor's environment ({@link ExecutorEnv}). */
    static Identity fromEnv(Map<String, String> env) {
        return new Identity(env.get(ExecutorEnv.SERVICE_ID), env.get(ExecutorEnv.SERVICE_VERSION), env.get(ExecutorEnv.INSTANCE_ID));
    }

    static Identity identity() {
        return identity;
    }

    /** For tests: the identity as given, unknown fields included. */
    static void identity(Identity id) {
        identity = id;
    }

    /** Writes one event; {@code mdc} may be empty, {@code thrown} null. */
    public void write(String level, String logger, String thread, String message, Throwable thrown, Map<String, String> mdc) {
        String line = format == Format.JSON ? json(level, logger, thread, message, thrown, mdc) : text(level, logger, thread, message, thrown);
        synchronized (out) {
            out.print(line);
            out.flush();
        }
    }

    private String text(String level, String logger, String thread, String message, Throwable thrown) {
        StringBuilder b = new StringBuilder(128);
        b.append(TEXT_TIME.format(clock.instant().atZone(clock.getZone()))).append(" [").append(thread).append("] ")
                .append(level).append(' ').append(logger.substring(logger.lastIndexOf('.') + 1)).append(" - ")
                .append(message).append('\n');
        if (thrown != null) {
            b.append(stackTrace(thrown));
        }
        return b.toString();
    }

    private String json(String level, String logger, String thread, String message, Throwable thrown, Map<String, String> mdc) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "timestamp", JSON_TIME.format(clock.instant().atZone(clock.getZone())));
        field(b, "level", level);
        field(b, "thread", thread);
        field(b, "logger", logger);
        field(b, "message", message);
        if (thrown != null) {
            field(b, "exception", stackTrace(thrown));
        }
        mdc.forEach((k, v) -> field(b, k, v));
        Identity id = identity;
        field(b, "service", id.service());
        field(b, "version", id.version());
        field(b, "instance", id.instance());
        field(b, "component", "executor");
        return b.append("}\n").toString();
    }

    /** {@code "name":"value"}, after a comma unless first; nothing for a null value. */
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

    static void quote(StringBuilder b, String s) {
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

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
