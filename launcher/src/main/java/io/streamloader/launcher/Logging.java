package io.streamloader.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The process's logging, set once per command before it runs: one appender on stderr (stdout is for results), in
 * one format, at one root level; {@code java.util.logging} (Flyway, Hibernate, the JDK's HTTP client) goes through
 * SLF4J, so every library's lines share that format and level.
 *
 * <ol>
 *   <li>Format: {@code --log-format}, else {@code -Dstreamloader.log.format}, else {@code STREAMLOADER_LOG_FORMAT},
 *       else {@code text}.
 *   <li>Level: {@code --log-level}, else {@code -Dstreamloader.log.level}, else {@code STREAMLOADER_LOG_LEVEL}, else
 *       the command's default ({@code INFO} for {@code run} and {@code dev}, {@code WARN} for commands that print a
 *       result). A library logger that {@code logback.xml} quietens is never louder than the root.
 * </ol>
 */
final class Logging {
    static final String FORMAT_PROPERTY = "streamloader.log.format";
    static final String FORMAT_ENV = "STREAMLOADER_LOG_FORMAT";
    static final String LEVEL_PROPERTY = "streamloader.log.level";
    static final String LEVEL_ENV = "STREAMLOADER_LOG_LEVEL";

    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} %X{sink} - %msg%n";

    /** How log lines are written. */
    enum Format {
        /** One line per event for people: time, level, thread, logger, sink, message. */
        TEXT,
        /** One JSON object per line (logstash layout, MDC such as {@code sink} included), for log shippers. */
        JSON
    }

    private Logging() {}

    /** Parses {@code text}, {@code json} (any case). */
    static Format format(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new IllegalArgumentException("log format must be text or json, was '" + value + "'");
        };
    }

    /** Parses a level name: {@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error}, {@code off}. */
    static Level level(String value) {
        String name = value.strip().toUpperCase(Locale.ROOT);
        Level level = Level.toLevel(name, null);
        if (level == null || level == Level.ALL) {
            throw new IllegalArgumentException(
                    "log level must be one of trace, debug, info, warn, error, off; was '" + value + "'");
        }
        return level;
    }

    /** Without {@code --log-format}: the system property, else the environment, else text. */
    static Format chooseFormat(Map<String, String> env) {
        return format(Optional.ofNullable(System.getProperty(FORMAT_PROPERTY))
                .or(() -> Optional.ofNullable(env.get(FORMAT_ENV)))
                .filter(s -> !s.isBlank())
                .orElse("text"));
    }

    /** Without {@code --log-level}: the system property, else the environment, else the command's default. */
    static Level chooseLevel(Map<String, String> env, Level commandDefault) {
        return Optional.ofNullable(System.getProperty(LEVEL_PROPERTY))
                .or(() -> Optional.ofNullable(env.get(LEVEL_ENV)))
                .filter(s -> !s.isBlank())
                .map(Logging::level)
                .orElse(commandDefault);
    }

    /**
     * Routes {@code java.util.logging} to SLF4J and writes every log line to {@code out} in {@code format} at {@code
     * level} and above. Idempotent; a later call replaces the earlier appender. Does nothing when SLF4J is not bound to
     * logback (the launcher embedded elsewhere).
     */
    static synchronized void configure(Format format, Level level, OutputStream out) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        bridgeJavaUtilLogging(context);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName(format.name().toLowerCase(Locale.ROOT));
        appender.setEncoder(encoder(format, context));
        appender.setOutputStream(out);
        appender.setImmediateFlush(true);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(level);
        for (Logger logger : context.getLoggerList()) {
            if (logger != root
                    && logger.getLevel() != null
                    && !logger.getLevel().isGreaterOrEqual(level)) {
                logger.setLevel(level);
            }
        }
    }

    private static void bridgeJavaUtilLogging(LoggerContext context) {
        // levels set in logback are pushed to JUL loggers, so a disabled JUL line is not even built (logback manual)
        if (context.getCopyOfListenerList().stream().noneMatch(LevelChangePropagator.class::isInstance)) {
            LevelChangePropagator propagator = new LevelChangePropagator();
            propagator.setContext(context);
            propagator.setResetJUL(true);
            propagator.start();
            context.addListener(propagator);
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger(); // JUL's ConsoleHandler: another format, no level control
            SLF4JBridgeHandler.install();
        }
    }

    private static Encoder<ILoggingEvent> encoder(Format format, LoggerContext context) {
        return switch (format) {
            case TEXT -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setContext(context);
                text.setPattern(TEXT_PATTERN);
                text.start();
                yield text;
            }
            case JSON -> {
                LogstashEncoder json = new LogstashEncoder();
                json.setContext(context);
                json.setIncludeCallerData(false);
                json.getFieldNames().setVersion("[ignore]");
                json.getFieldNames().setLevelValue("[ignore]");
                json.start();
                yield json;
            }
        };
    }
}
