package io.remit.payments.idempotency;

import io.remit.payments.db.PaymentStore;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency keys in PostgreSQL, one row per (caller, key) under a primary key, so that any
 * number of instances agree on who owns a key:
 *
 * <ul>
 *   <li>{@link #claim} inserts the key as IN_FLIGHT with a fresh claim token and a lease, in one
 *       statement ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}); the database lets exactly one
 *       of concurrent claimers win. It takes over a row only when the key has expired or its claim
 *       lease ran out (its holder died); otherwise it reports what the row holds.</li>
 *   <li>{@link #complete} marks the key COMPLETED with the response, in the caller's transaction (the
 *       one that stores the payment), and only while the claim token still matches: a holder whose
 *       lease ran out and whose key was taken over cannot complete, so its payment is rolled back.</li>
 *   <li>{@link #release} deletes an unfinished claim after a failure, so a retry can succeed at once.</li>
 * </ul>
 *
 * A claim left IN_FLIGHT by a crash (of an instance or of PostgreSQL) is recovered: if a payment
 * committed under its claim token, the key is never taken over and a request finds
 * {@link Claim.Unrecorded} (answer with that payment, {@link #recordCreated}); otherwise nothing was
 * created and the key is taken over once its lease has run out, by the next request with it.
 *
 * Times are the calling instance's clock. Thread-safe.
 */
public final class IdempotencyKeys {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);
    private static final int CLEANUP_BATCH = 1000;

    private static final String CLAIM = """
            INSERT INTO idempotency_keys AS k (client_id, idempotency_key, fingerprint, state, claim_token,
                                               locked_until, created_at, expires_at)
            VALUES (:client, :key, :fingerprint, 'IN_FLIGHT', :token, :lockedUntil, :now, :expiresAt)
            ON CONFLICT (client_id, idempotency_key) DO UPDATE
               SET fingerprint = EXCLUDED.fingerprint, state = 'IN_FLIGHT', claim_token = EXCLUDED.claim_token,
                   locked_until = EXCLUDED.locked_until, created_at = EXCLUDED.created_at,
                   expires_at = EXCLUDED.expires_at, payment_id = NULL, response_status = NULL, response_body = NULL
             WHERE (k.expires_at <= :now OR (k.state = 'IN_FLIGHT' AND k.locked_until <= :now))
               AND NOT (k.state = 'IN_FLIGHT' AND EXISTS (SELECT 1 FROM payments p WHERE p.claim_token = k.claim_token))
            RETURNING claim_token""";

    private final Jdbi jdbi;

    public IdempotencyKeys(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Claims {@code key} of {@code client} for a request with {@code fingerprint}.
     *
     * @param lease how long the claim holds if never completed nor released
     * @param ttl   how long the key is remembered
     */
    public Claim claim(String client, String key, String fingerprint, Instant now, Duration lease, Duration ttl) {
        Instant at = PaymentStore.timestamp(now);
        for (int attempt = 0; attempt < 3; attempt++) {
            UUID token = UUID.randomUUID();
            Optional<UUID> holder = jdbi.withHandle(h -> h.createQuery(CLAIM)
                    .bind("client", client)
                    .bind("key", key)
                    .bind("fingerprint", fingerprint)
                    .bind("token", token)
                    .bind("lockedUntil", at.plus(lease))
                    .bind("now", at)
                    .bind("expiresAt", at.plus(ttl))
                    .mapTo(UUID.class)
                    .findOne());
            if (holder.isPresent() && holder.get().equals(token)) {
                return new Claim.Claimed(token);
            }
            Optional<Claim> existing = find(client, key, fingerprint);
            if (existing.isPresent()) {
                return existing.get();
            }
            // released between the two statements: claim again
        }
        return new Claim.InFlight(at);
    }

    /**
     * Marks the claim completed with its response, within the caller's transaction {@code h}.
     *
     * @return false when the claim is no longer {@code token}'s (its lease ran out and another
     *         request took the key over); the caller must then roll back
     */
    public boolean complete(Handle h, String client, String key, UUID token, UUID paymentId, int status, String body) {
        return h.createUpdate("UPDATE idempotency_keys SET state = 'COMPLETED', payment_id = :payment, "
                        + "response_status = :status, response_body = :body "
                        + "WHERE client_id = :client AND idempotency_key = :key AND claim_token = :token AND state = 'IN_FLIGHT'")
                .bind("payment", paymentId)
                .bind("status", status)
                .bind("body", body)
                .bind("client", client)
                .bind("key", key)
                .bind("token", token)
                .execute() == 1;
    }

    /**
     * Records on a key left IN_FLIGHT ({@link Claim.Unrecorded}) the payment its claim created, in a
     * transaction of its own; false when the row is no longer that claim's (another request did it).
     */
    public boolean recordCreated(String client, String key, UUID claimToken, UUID paymentId, int status, String body) {
        return jdbi.inTransaction(h -> complete(h, client, key, claimToken, paymentId, status, body));
    }

    /** Gives up an unfinished claim so the key can be used again; false when it was not {@code token}'s any more. */
    public boolean release(String client, String key, UUID token) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE client_id = :client "
                        + "AND idempotency_key = :key AND claim_token = :token AND state = 'IN_FLIGHT'")
                .bind("client", client)
                .bind("key", key)
                .bind("token", token)
                .execute() == 1);
    }

    /**
     * Deletes keys expired at {@code now} (unfinished claims only once their lease has run out too),
     * in batches; returns how many. Safe to run on every instance at once.
     */
    public int deleteExpired(Instant now) {
        Instant at = PaymentStore.timestamp(now);
        int total = 0;
        while (true) {
            int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE ctid IN ("
                            + "SELECT ctid FROM idempotency_keys WHERE expires_at <= :now "
                            + "AND (state = 'COMPLETED' OR locked_until <= :now) LIMIT :batch)")
                    .bind("now", at)
                    .bind("batch", CLEANUP_BATCH)
                    .execute());
            total += n;
            if (n < CLEANUP_BATCH) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("deleted {} expired idempotency keys", total);
        }
        return total;
    }

    private Optional<Claim> find(String client, String key, String fingerprint) {
        return jdbi.withHandle(h -> h.createQuery("SELECT k.fingerprint, k.state, k.locked_until, k.response_status, "
                        + "k.response_body, k.payment_id, k.claim_token, p.id AS created_id FROM idempotency_keys k "
                        + "LEFT JOIN payments p ON p.claim_token = k.claim_token "
                        + "WHERE k.client_id = :client AND k.idempotency_key = :key")
                .bind("client", client)
                .bind("key", key)
                .map((rs, ctx) -> {
                    if (!rs.getString("fingerprint").equals(fingerprint)) {
                        return (Claim) new Claim.Mismatch();
                    }
                    if ("COMPLETED".equals(rs.getString("state"))) {
                        return new Claim.Completed(rs.getInt("response_status"), rs.getString("response_body"),
                                rs.getObject("payment_id", UUID.class));
                    }
                    UUID created = rs.getObject("created_id", UUID.class);
                    if (created != null) {
                        return new Claim.Unrecorded(created, rs.getObject("claim_token", UUID.class));
                    }
                    return new Claim.InFlight(rs.getObject("locked_until", OffsetDateTime.class).toInstant());
                })
                .findOne());
    }
}
