package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A sink started with its password inside the JDBC URL logs the URL masked, never the password. */
class SecretsInLogsIT {

    @Test
    void aPasswordInsideTheJdbcUrlIsNeverLoggedAtStart() {
        TestingStores stores = new TestingStores("secrets");
        String password = "hunter2-" + System.nanoTime();
        Map<String, String> config = new HashMap<>(stores.config(Map.of()));
        config.remove("jdbc.password");
        // the devstack server trusts local connections, so the password only has to travel, as an operator's would
        config.put("jdbc.url", stores.postgres.jdbcUrl() + "?sslpassword=" + password + "&password=" + password);

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        PostgresMinioSinkFactory factory = new PostgresMinioSinkFactory();
        SinkContext context = new SinkContext("archive", config);
        try (Sink sink = factory.open(context, factory.parse(context))) {
            assertThat(sink).isNotNull();
        } finally {
            root.detachAppender(logs);
        }

        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line ->
                        assertThat(line).contains("sink archive started").contains("password=****"));
        assertThat(logs.list).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain(password);
            if (e.getThrowableProxy() != null) {
                assertThat(e.getThrowableProxy().getMessage()).doesNotContain(password);
            }
        });
    }
}
