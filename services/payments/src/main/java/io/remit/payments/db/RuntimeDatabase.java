package io.remit.payments.db;

import io.dropwizard.db.DataSourceFactory;
import io.remit.kit.RuntimeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the database is: the config file's {@code database:} block, except for the runtime
 * config keys {@code database.url}, {@code database.user} and {@code database.password} (etcd,
 * {@code /remit/config/payments/}), which win when present at start. They are read once: the
 * connection pool is built from them, so a later change needs a restart.
 */
public final class RuntimeDatabase {

    public static final String URL = "database.url";
    public static final String USER = "database.user";
    public static final String PASSWORD = "database.password";

    private RuntimeDatabase() {
    }

    /**
     * Overwrites the url, user and password of {@code database} with those in {@code config};
     * returns the keys taken from it (for the log; never the values, which may be secret).
     */
    public static List<String> apply(DataSourceFactory database, RuntimeConfig config) {
        List<String> taken = new ArrayList<>();
        value(config, URL).ifPresent(v -> {
            database.setUrl(v);
            taken.add(URL);
        });
        value(config, USER).ifPresent(v -> {
            database.setUser(v);
            taken.add(USER);
        });
        // an empty password is a real value (trust authentication), so present-but-empty counts
        config.get(PASSWORD).ifPresent(v -> {
            database.setPassword(v);
            taken.add(PASSWORD);
        });
        return List.copyOf(taken);
    }

    /** The URL without its query string (which may hold a password), for logs. */
    public static String describe(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "(none)";
        }
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
    }

    private static Optional<String> value(RuntimeConfig config, String key) {
        return config.get(key).map(String::strip).filter(v -> !v.isEmpty());
    }
}
