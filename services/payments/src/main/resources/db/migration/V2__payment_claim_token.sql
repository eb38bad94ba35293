-- The idempotency claim each payment was created under. A key whose row is still IN_FLIGHT although
-- a payment committed under its claim (the completion of the key was lost) is then answered with
-- that payment instead of being taken over by a request that would create a second one.
-- Payments created before this migration have none.
ALTER TABLE payments ADD COLUMN claim_token UUID UNIQUE;
