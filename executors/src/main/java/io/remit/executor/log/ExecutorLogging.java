package io.remit.executor.log;

import io.remit.executor.api.ExecutorEnv;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The executor's SLF4J backend, in remit-executor.jar only (the shade plugin adds its service
 * file; modules that use the executor's api package keep their own backend): every line to
 * stderr, which the agent keeps as the sandbox's {@code stderr}, as plain text or, with
 * {@value ExecutorEnv#LOG_FORMAT}{@code =json}, as one JSON object per line ({@link LogLines}).
 * Few classes and no configuration file, so that it costs the executor's start next to nothing.
 *
 * <p>The level is INFO; {@code -Dremit.executor.logLevel=warn} (or trace, debug, error) changes it.
 */
public final class ExecutorLogging implements SLF4JServiceProvider {

    /** The system property that sets the level of every logger. */
    public static final String LEVEL_PROPERTY = "remit.executor.logLevel";

    private final BasicMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private ILoggerFactory loggers;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        LogLines lines = new LogLines(LogLines.Format.of(System.getenv(ExecutorEnv.LOG_FORMAT)), System.err,
                Clock.systemDefaultZone());
        Level level = level(System.getProperty(LEVEL_PROPERTY));
        ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();
        loggers = name -> byName.computeIfAbsent(name, n -> new LineLogger(n, lines, level));
    }

    static Level level(String value) {
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }
}
