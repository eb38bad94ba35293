package io.remit.scheduler.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * Access control of the scheduler's REST API, UI and event stream.
 *
 * <pre>{@code
 * auth:
 *   enabled: true
 *   credentialsFile: var/credentials.yml     # more users, same shape as below; ./remit local writes it
 *   users:
 *     - name: ci-pipeline
 *       role: operator
 *       token: sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
 *     - name: alice
 *       role: viewer
 *       password: sha256:...
 * }</pre>
 *
 * Secrets are stored as {@code sha256:<hex>} of the token or password, never in clear: use long
 * random values (e.g. {@code openssl rand -hex 24}), for which a plain hash is enough. A caller
 * sends {@code Authorization: Bearer <token>} or HTTP basic ({@code name:password}). A user may
 * have an {@code expires} instant. To rotate a token: add a user with the new token to the
 * credentials file, move clients to it, then remove the old one (or let it expire).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class AuthSettings {

    @JsonProperty
    public boolean enabled = false;

    /**
     * A YAML file with a {@code users:} list; may be absent. Read at start and again whenever it
     * changes (a rotated token works within a second, no restart); a file that does not read
     * leaves the users as they were, with an error in the log.
     */
    @JsonProperty
    public String credentialsFile;

    @JsonProperty
    @Valid
    @NotNull
    public List<User> users = new ArrayList<>();

    /** Failed sign-ins (wrong or expired credentials) one client address may make within {@link #failedSignInWindow}. */
    @JsonProperty
    @jakarta.validation.constraints.Min(1)
    public int maxFailedSignIns = 10;

    /** After {@link #maxFailedSignIns} failures within this, the address gets 429 until the oldest leaves it. */
    @JsonProperty
    @NotNull
    public io.dropwizard.util.Duration failedSignInWindow = io.dropwizard.util.Duration.minutes(1);

    /** Where operator actions are appended, one JSON line each; empty: only the scheduler log. */
    @JsonProperty
    public String auditFile;

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class User {
        @JsonProperty @NotNull public String name;
        @JsonProperty @NotNull public Role role = Role.viewer;
        /** {@code sha256:<hex>} of the bearer token. */
        @JsonProperty public String token;
        /** {@code sha256:<hex>} of the basic-auth password. */
        @JsonProperty public String password;
        /**
         * When this user's token and password stop working (ISO-8601 instant, e.g.
         * {@code 2027-01-31T00:00:00Z}); none: they do not expire.
         */
        @JsonProperty public String expires;
    }
}
