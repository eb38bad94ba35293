package io.remit.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.payments.db.Migrations;
import io.remit.payments.support.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The Flyway migrations on a real, empty PostgreSQL. */
class MigrationsIT {

    @Test
    void applyToAnEmptyDatabaseOnceAndThenFindNothingToDo() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPostgres.newDatabase("migrations"));
        ds.setUser(TestPostgres.USER);

        assertThat(Migrations.migrate(ds)).isPositive();
        assertThat(Migrations.migrate(ds)).isZero();

        List<String> tables = TestPostgres.jdbi(ds.getUrl()).withHandle(h -> h.createQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
                .mapTo(String.class).list());
        assertThat(tables).contains("payments", "payment_events", "idempotency_keys", "flyway_schema_history");
    }
}
