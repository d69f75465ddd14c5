package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@DevStackTest
class PostgresServiceIT {

    @Test
    void createsInsertsAndSelects(PostgresService postgres) throws SQLException {
        try (Connection c = connect(postgres);
                Statement s = c.createStatement()) {
            s.execute("create table round_trip (id bigint primary key, payload jsonb)");
            s.execute("insert into round_trip values (1, '{\"a\":1}'), (2, '{\"a\":2}')");
            assertThat(select(s, "select payload->>'a' from round_trip order by id"))
                    .containsExactly("1", "2");
        }
    }

    @Test
    void keepsDataAcrossARestartOnTheSamePort(PostgresService postgres) throws SQLException {
        try (Connection c = connect(postgres);
                Statement s = c.createStatement()) {
            s.execute("create table survives_restart (name text)");
            s.execute("insert into survives_restart values ('kept')");
        }
        String url = postgres.jdbcUrl();

        postgres.stop();
        assertThat(postgres.isRunning()).isFalse();
        postgres.stop();
        postgres.start();

        assertThat(postgres.jdbcUrl()).isEqualTo(url);
        try (Connection c = connect(postgres);
                Statement s = c.createStatement()) {
            assertThat(select(s, "select name from survives_restart")).containsExactly("kept");
        }
    }

    private static Connection connect(PostgresService postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static List<String> select(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
