package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpecStore} does; run against the in-memory one and the etcd one (with a real
 * etcd), so the stand-in the unit tests use cannot drift from what the scheduler runs on.
 */
abstract class SpecStoreContract {

    static final Instant T0 = Instant.parse("2026-03-02T09:15:00Z");

    protected SpecStore store;
    protected final MutableClock clock = new MutableClock(T0);
    /** The revisions the store told of, in order. */
    protected final List<Revision> told = new CopyOnWriteArrayList<>();

    /** A store with no specs and no revisions in it, telling {@code made} of each revision it stores. */
    protected abstract SpecStore newStore(Clock clock, Consumer<Revision> made);

    @BeforeEach
    void fresh() {
        store = newStore(clock, told::add);
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

    @Test
    void aCreationIsRevisionOneWithWhoWhenAndWhy() {
        SpecStore.Written w = store.create(TestSpecs.spec("fx", 2), new SpecStore.Change("alice", "first fx"));

        assertThat(w.outcome()).isEqualTo(SpecStore.Outcome.CREATED);
        Revision one = w.revision();
        assertThat(one).isEqualTo(new Revision("fx", 1, TestSpecs.spec("fx", 2), "alice", T0, "first fx"));
        assertThat(store.revisions("fx")).containsExactly(one);
        assertThat(store.revision("fx", 1)).contains(one);
        assertThat(one.fingerprint()).isEqualTo(TestSpecs.spec("fx", 2).revision());
        assertThat(told).containsExactly(one);
        assertThat(store.create(TestSpecs.spec("fx", 3), new SpecStore.Change("bob", "again")).outcome())
                .isEqualTo(SpecStore.Outcome.CONFLICT);
        assertThat(store.revisions("fx")).as("a refused create makes none").hasSize(1);
    }

    @Test
    void aChangeMakesTheNextRevisionButScalingOrTheSameSpecAgainMakesNone() {
        store.put(TestSpecs.spec("fx", 2), 0, new SpecStore.Change("alice", "first"));
        clock.advance(Duration.ofMinutes(5));

        SpecStore.Written scaled = store.put(TestSpecs.spec("fx", 7), 0, new SpecStore.Change("bob", "more"));
        assertThat(scaled.outcome()).isEqualTo(SpecStore.Outcome.REPLACED);
        assertThat(scaled.revision()).as("scaling alone").isNull();
        assertThat(store.put(TestSpecs.spec("fx", 7), 0, new SpecStore.Change("bob", "same")).revision()).isNull();
        assertThat(store.get("fx").orElseThrow().spec().instances()).as("the scale is stored all the same").isEqualTo(7);

        ServiceSpec v2 = TestSpecs.spec("fx", 7).withVersion("2.0.0");
        SpecStore.Written changed = store.put(v2, store.get("fx").orElseThrow().modRevision(),
                new SpecStore.Change("carol", "fx 2.0 with quotes in CHF"));
        assertThat(changed.revision()).isEqualTo(new Revision("fx", 2, v2, "carol", T0.plus(Duration.ofMinutes(5)),
                "fx 2.0 with quotes in CHF"));
        assertThat(store.revisions("fx")).extracting(Revision::number).containsExactly(2L, 1L);
        assertThat(store.revision("fx", 1).orElseThrow().spec().instances()).as("revisions are immutable").isEqualTo(2);

        ServiceSpec back = TestSpecs.spec("fx", 3);
        assertThat(store.put(back, 0, new SpecStore.Change("dave", "")).revision().number())
                .as("going back to an earlier spec is a change too").isEqualTo(3);
        assertThat(told).extracting(Revision::number).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aConflictingWriteMakesNoRevision() {
        store.create(TestSpecs.spec("fx", 1), new SpecStore.Change("alice", ""));
        long stale = store.get("fx").orElseThrow().modRevision();
        store.put(TestSpecs.spec("fx", 1).withVersion("1.1.0"), stale, new SpecStore.Change("bob", ""));

        SpecStore.Written lost = store.put(TestSpecs.spec("fx", 1).withVersion("1.2.0"), stale,
                new SpecStore.Change("carol", ""));
        assertThat(lost).isEqualTo(new SpecStore.Written(SpecStore.Outcome.CONFLICT, null));
        assertThat(store.revisions("fx")).extracting(Revision::who).containsExactly("bob", "alice");
    }

    @Test
    void revisionsOutliveADeleteAndARecreatedServiceNumbersOn() {
        for (int i = 1; i <= 11; i++) {
            store.put(TestSpecs.spec("fx", 1).withVersion("1.0." + i), 0, new SpecStore.Change("alice", "v" + i));
        }
        store.create(TestSpecs.spec("fx-eu", 1), new SpecStore.Change("alice", "another service"));
        store.delete("fx");
        assertThat(store.revisions("fx")).as("newest first, 11 after 10 after 9").extracting(Revision::number)
                .containsExactly(11L, 10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);

        assertThat(store.create(TestSpecs.spec("fx", 1), new SpecStore.Change("bob", "back")).revision().number())
                .isEqualTo(12);
        assertThat(store.revisions("fx-eu")).extracting(Revision::number).containsExactly(1L);
        assertThat(store.revisions("payments")).isEmpty();
        assertThat(store.revision("fx", 13)).isEmpty();
        assertThat(store.revision("fx", 0)).isEmpty();
    }

    @Test
    void aRevisionKeepsSecretsForTheSchedulerAndTheChangeIsNormalised() {
        ServiceSpec s = TestSpecs.spec("payments", 1);
        ServiceSpec withSecret = new ServiceSpec(s.id(), s.version(), s.artifacts(), s.config(), s.instances(), s.resources(),
                s.jvmOptions(), Map.of("DB_PASSWORD", EnvValue.secret("pw-1")), s.healthCheck(), s.constraints(),
                s.dependencies(), s.labels());
        Revision r = store.create(withSecret, new SpecStore.Change(" ", "  spaced  ")).revision();

        assertThat(r.who()).as("no one named: Remit").isEqualTo(SpecStore.Change.REMIT);
        assertThat(r.message()).isEqualTo("spaced");
        assertThat(store.revision("payments", 1).orElseThrow().spec().env().get("DB_PASSWORD"))
                .isEqualTo(EnvValue.secret("pw-1"));
    }

    private static Map<String, ServiceSpec> last(List<Map<String, ServiceSpec>> seen) {
        return seen.isEmpty() ? Map.of() : seen.get(seen.size() - 1);
    }
}
