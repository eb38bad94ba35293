-- Payments, their event history and the idempotency keys of POST /payments.
-- Money is BIGINT minor units with its ISO 4217 currency; the fx rate is NUMERIC without a
-- fixed scale, so the decimal string fx gave (e.g. 0.785300) comes back exactly as it went in.

CREATE TABLE payments (
    id              UUID        PRIMARY KEY,
    -- insertion order; the stable key of keyset paging (never shown except inside a cursor)
    seq             BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    payer_id        TEXT        NOT NULL,
    school_id       TEXT        NOT NULL,
    reference       TEXT        NOT NULL,
    payment_method  TEXT        NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('CREATED', 'AWAITING_FUNDS', 'FUNDS_RECEIVED',
                                                          'DELIVERED', 'CANCELLED', 'FAILED')),
    quote_id        TEXT        NOT NULL,
    rate            NUMERIC     NOT NULL CHECK (rate > 0),
    source_amount   BIGINT      NOT NULL CHECK (source_amount >= 0),
    source_currency CHAR(3)     NOT NULL,
    fee_amount      BIGINT      NOT NULL CHECK (fee_amount >= 0),
    fee_currency    CHAR(3)     NOT NULL,
    total_amount    BIGINT      NOT NULL CHECK (total_amount >= 0),
    total_currency  CHAR(3)     NOT NULL,
    target_amount   BIGINT      NOT NULL CHECK (target_amount > 0),
    target_currency CHAR(3)     NOT NULL,
    version         INTEGER     NOT NULL CHECK (version >= 1),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX payments_by_payer ON payments (payer_id, seq DESC);
CREATE INDEX payments_by_school ON payments (school_id, seq DESC);

CREATE TABLE payment_events (
    payment_id UUID        NOT NULL REFERENCES payments (id),
    -- 1 for 'created', then one more per event: the payment's version after the event. The key
    -- refuses a second event for the same version, whatever the locking above it does.
    sequence   INTEGER     NOT NULL CHECK (sequence >= 1),
    type       TEXT        NOT NULL,
    from_state TEXT,
    to_state   TEXT        NOT NULL,
    reason     TEXT,
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (payment_id, sequence)
);

CREATE TABLE idempotency_keys (
    client_id       TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    -- SHA-256 (hex) of method, path and canonical JSON body of the request that claimed the key
    fingerprint     TEXT        NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('IN_FLIGHT', 'COMPLETED')),
    -- who holds the claim: only the holder may complete or release it
    claim_token     UUID        NOT NULL,
    -- an IN_FLIGHT claim past this instant is abandoned (its instance died) and may be taken over
    locked_until    TIMESTAMPTZ NOT NULL,
    -- deferred: the key is completed first in the transaction that then inserts the payment
    payment_id      UUID        REFERENCES payments (id) DEFERRABLE INITIALLY DEFERRED,
    response_status INTEGER,
    response_body   TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    -- after this instant the key is forgotten: a request with it is new
    expires_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, idempotency_key),
    CHECK (state = 'IN_FLIGHT' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);

CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
