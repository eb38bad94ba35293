package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.spec.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpecStore} does; run against the in-memory one and the etcd one (with a real
 * etcd), so the stand-in the unit tests use cannot drift from what the scheduler runs on.
 */
abstract class SpecStoreContract {

    protected SpecStore store;

    /** A store with no specs in it. */
    protected abstract SpecStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @Test
    void aCreatedSpecReadsBackAndItsIdCannotBeTakenAgain() {
        assertThat(store.create(TestSpecs.spec("fx", 2))).isTrue();
        assertThat(store.create(TestSpecs.spec("fx", 5))).isFalse();

        assertThat(store.get("fx")).hasValueSatisfying(s -> assertThat(s.spec()).isEqualTo(TestSpecs.spec("fx", 2)));
        assertThat(store.get("payments")).isEmpty();
        assertThat(store.all()).containsOnlyKeys("fx");
    }

    @Test
    void aReplaceNeedsTheRevisionItWasBasedOnSoNoChangeIsLost() {
        assertThat(store.put(TestSpecs.spec("fx", 1), 0)).isEqualTo(SpecStore.Outcome.CREATED);
        long first = store.get("fx").orElseThrow().modRevision();

        assertThat(store.put(TestSpecs.spec("fx", 2), first)).isEqualTo(SpecStore.Outcome.REPLACED);
        long second = store.get("fx").orElseThrow().modRevision();
        assertThat(second).isGreaterThan(first);

        assertThat(store.put(TestSpecs.spec("fx", 3), first)).as("based on a stale revision")
                .isEqualTo(SpecStore.Outcome.CONFLICT);
        assertThat(store.get("fx").orElseThrow().spec().instances()).isEqualTo(2);
        assertThat(store.put(TestSpecs.spec("fx", 4), 0)).as("0: whatever is there").isEqualTo(SpecStore.Outcome.REPLACED);
        assertThat(store.put(TestSpecs.spec("payments", 1), 7)).as("no such service at that revision")
                .isEqualTo(SpecStore.Outcome.CONFLICT);
        assertThat(store.all()).containsOnlyKeys("fx");
    }

    @Test
    void aDeletedServiceIsGone() {
        store.create(TestSpecs.spec("fx", 1));
        store.create(TestSpecs.spec("payments", 1));

        assertThat(store.delete("fx")).isTrue();
        assertThat(store.delete("fx")).isFalse();

        assertThat(store.get("fx")).isEmpty();
        assertThat(store.all()).containsOnlyKeys("payments");
    }

    @Test
    void aWatchKnowsTheSpecsAtOnceAndHearsEveryChange() {
        store.create(TestSpecs.spec("fx", 1));
        List<Map<String, ServiceSpec>> seen = new CopyOnWriteArrayList<>();
        try (SpecStore.Watch watch = store.watch(Duration.ofSeconds(10))) {
            assertThat(watch.current()).containsOnlyKeys("fx");
            watch.subscribe(seen::add);
            Await.until("the specs there", () -> !seen.isEmpty(), () -> seen);
            assertThat(seen.get(0)).containsExactly(Map.entry("fx", TestSpecs.spec("fx", 1)));

            store.put(TestSpecs.spec("fx", 3), 0);
            store.create(TestSpecs.spec("payments", 1));
            Await.until("both changes", () -> last(seen).containsKey("payments") && last(seen).get("fx").instances() == 3,
                    () -> seen);
            store.delete("fx");
            Await.until("the delete", () -> !last(seen).containsKey("fx"), () -> seen);
            assertThat(watch.current()).containsOnlyKeys("payments");
        }
        int calls = seen.size();
        store.create(TestSpecs.spec("fx", 1));
        assertThat(store.all()).containsOnlyKeys("fx", "payments");
        assertThat(seen).as("nothing after the watch was closed").hasSize(calls);
    }

    private static Map<String, ServiceSpec> last(List<Map<String, ServiceSpec>> seen) {
        return seen.isEmpty() ? Map.of() : seen.get(seen.size() - 1);
    }
}
