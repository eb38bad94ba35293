package io.remit.payments.idempotency;

import java.time.Instant;
import java.util.UUID;

/** What trying to claim an idempotency key found. */
public sealed interface Claim {

    /** The key is this request's now: go on, then {@code complete} or {@code release} it with {@code token}. */
    record Claimed(UUID token) implements Claim {
    }

    /** An earlier request with the same fingerprint completed: answer what it answered. */
    record Completed(int status, String body, UUID paymentId) implements Claim {
    }

    /** An earlier request with the same fingerprint is still being processed (its claim holds until {@code lockedUntil}). */
    record InFlight(Instant lockedUntil) implements Claim {
    }

    /**
     * The key's row is still IN_FLIGHT, yet a payment committed under its claim {@code claimToken}
     * (the key's completion was lost, e.g. by a crash): the request was done, answer with that payment
     * and record it on the key ({@link IdempotencyKeys#recordCreated}). The key is never taken over.
     */
    record Unrecorded(UUID paymentId, UUID claimToken) implements Claim {
    }

    /** The key was used for a request with a different fingerprint. */
    record Mismatch() implements Claim {
    }
}
