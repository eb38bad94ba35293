package io.remit.scheduler.state;

class InMemoryTaskStoreTest extends TaskStoreContract {

    @Override
    protected TaskStore newStore() {
        return new InMemoryTaskStore();
    }
}
