package io.remit.scheduler.state;

class InMemorySpecStoreTest extends SpecStoreContract {

    @Override
    protected SpecStore newStore() {
        return new InMemorySpecStore();
    }
}
