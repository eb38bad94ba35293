package io.remit.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Keeps this JVM's log events (localcluster's master and agents log through logback here) with
 * their timestamps, so a driver can read when something happened inside the embedded cluster.
 * Thread-safe; it keeps every event until {@link #clear()}, so use it for bounded runs.
 */
final class LogTap extends AppenderBase<ILoggingEvent> {

    /** One captured event: when, which logger, the formatted message. */
    record Line(Instant at, String logger, String message) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogTap() {
    }

    /** Attaches a tap to the root logger. */
    static LogTap install() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LogTap tap = new LogTap();
        tap.setContext(root.getLoggerContext());
        tap.setName("bench-tap");
        tap.start();
        root.addAppender(tap);
        return tap;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(new Line(Instant.ofEpochMilli(event.getTimeStamp()), event.getLoggerName(), event.getFormattedMessage()));
    }

    /** The first event whose message matches, in arrival order. */
    Optional<Line> first(Predicate<String> message) {
        return lines.stream().filter(l -> message.test(l.message())).findFirst();
    }

    void clear() {
        lines.clear();
    }
}
