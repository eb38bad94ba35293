package io.remit.scheduler.state;

import java.time.Clock;
import java.util.function.Consumer;

class InMemorySpecStoreTest extends SpecStoreContract {

    @Override
    protected SpecStore newStore(Clock clock, Consumer<Revision> made) {
        return new InMemorySpecStore(clock, made);
    }
}
