package io.remit.payments.core;

/**
 * Where a payment is in its life. {@link #DELIVERED}, {@link #CANCELLED} and {@link #FAILED} are
 * terminal: no event moves a payment out of them. The moves are in {@link StateMachine}.
 */
public enum PaymentState {
    /** Priced and recorded; the payer has not been asked for funds yet. */
    CREATED,
    /** The payer has been asked to fund it. */
    AWAITING_FUNDS,
    /** The payer's funds have arrived. */
    FUNDS_RECEIVED,
    /** The school has been paid. */
    DELIVERED,
    /** Stopped before funds arrived. */
    CANCELLED,
    /** Could not be completed. */
    FAILED;

    public boolean isTerminal() {
        return this == DELIVERED || this == CANCELLED || this == FAILED;
    }
}
