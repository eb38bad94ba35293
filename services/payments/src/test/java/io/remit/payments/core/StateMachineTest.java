package io.remit.payments.core;

import static io.remit.payments.core.EventType.CANCELLED;
import static io.remit.payments.core.EventType.DELIVERED;
import static io.remit.payments.core.EventType.FAILED;
import static io.remit.payments.core.EventType.FUNDS_RECEIVED;
import static io.remit.payments.core.EventType.FUNDS_REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateMachineTest {

    /** Every legal move; every (state, event) pair not listed must be illegal. */
    private static final Map<String, PaymentState> LEGAL = Map.of(
            "CREATED/funds_requested", PaymentState.AWAITING_FUNDS,
            "AWAITING_FUNDS/funds_received", PaymentState.FUNDS_RECEIVED,
            "FUNDS_RECEIVED/delivered", PaymentState.DELIVERED,
            "CREATED/cancelled", PaymentState.CANCELLED,
            "AWAITING_FUNDS/cancelled", PaymentState.CANCELLED,
            "CREATED/failed", PaymentState.FAILED,
            "AWAITING_FUNDS/failed", PaymentState.FAILED,
            "FUNDS_RECEIVED/failed", PaymentState.FAILED);

    @Test
    void everyStateAndEventPairMovesAsTheTableSays() {
        int checked = 0;
        for (PaymentState state : PaymentState.values()) {
            for (EventType event : EventType.values()) {
                Optional<PaymentState> expected = Optional.ofNullable(LEGAL.get(state + "/" + event.wireName()));
                assertThat(StateMachine.next(state, event)).as(state + " + " + event.wireName()).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(PaymentState.values().length * EventType.values().length);
    }

    @Test
    void terminalStatesAllowNothing() {
        for (PaymentState s : PaymentState.values()) {
            assertThat(StateMachine.legalEvents(s).isEmpty()).as(s.name()).isEqualTo(s.isTerminal());
        }
    }

    @Test
    void legalEventsAreListedInOrder() {
        assertThat(StateMachine.legalEvents(PaymentState.CREATED)).containsExactly(FUNDS_REQUESTED, CANCELLED, FAILED);
        assertThat(StateMachine.legalEvents(PaymentState.AWAITING_FUNDS)).containsExactly(FUNDS_RECEIVED, CANCELLED, FAILED);
        assertThat(StateMachine.legalEvents(PaymentState.FUNDS_RECEIVED)).containsExactly(DELIVERED, FAILED);
    }

    @Test
    void eventNamesAreReadInAnyCase() {
        assertThat(EventType.fromWire("Funds_Received")).contains(FUNDS_RECEIVED);
        assertThat(EventType.fromWire("teleported")).isEmpty();
        assertThat(EventType.fromWire(null)).isEmpty();
    }
}
