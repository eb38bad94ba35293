package io.remit.payments.core;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The payment state machine as a table of legal moves; pure, no I/O.
 *
 * <pre>
 * CREATED --funds_requested--> AWAITING_FUNDS --funds_received--> FUNDS_RECEIVED --delivered--> DELIVERED
 * CREATED, AWAITING_FUNDS --cancelled--> CANCELLED
 * CREATED, AWAITING_FUNDS, FUNDS_RECEIVED --failed--> FAILED
 * </pre>
 *
 * Every other (state, event) pair is illegal; {@code created} is never legal (it only starts a payment).
 */
public final class StateMachine {

    private static final Map<PaymentState, Map<EventType, PaymentState>> MOVES = new EnumMap<>(PaymentState.class);

    static {
        for (PaymentState s : PaymentState.values()) {
            MOVES.put(s, new EnumMap<>(EventType.class));
        }
        move(PaymentState.CREATED, EventType.FUNDS_REQUESTED, PaymentState.AWAITING_FUNDS);
        move(PaymentState.AWAITING_FUNDS, EventType.FUNDS_RECEIVED, PaymentState.FUNDS_RECEIVED);
        move(PaymentState.FUNDS_RECEIVED, EventType.DELIVERED, PaymentState.DELIVERED);
        move(PaymentState.CREATED, EventType.CANCELLED, PaymentState.CANCELLED);
        move(PaymentState.AWAITING_FUNDS, EventType.CANCELLED, PaymentState.CANCELLED);
        for (PaymentState s : PaymentState.values()) {
            if (!s.isTerminal()) {
                move(s, EventType.FAILED, PaymentState.FAILED);
            }
        }
    }

    private StateMachine() {
    }

    private static void move(PaymentState from, EventType event, PaymentState to) {
        MOVES.get(from).put(event, to);
    }

    /** The state {@code event} moves a payment in state {@code from} to; empty when the move is illegal. */
    public static Optional<PaymentState> next(PaymentState from, EventType event) {
        return Optional.ofNullable(MOVES.get(from).get(event));
    }

    /** The events legal in {@code state}, in declaration order; empty for a terminal state. */
    public static List<EventType> legalEvents(PaymentState state) {
        return List.copyOf(MOVES.get(state).keySet());
    }
}
