package io.remit.scheduler.plan;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The result of one event for one task.
 *
 * @param state the state after the event
 * @param effects what the shell must do, in {@link Effect} order
 * @param outcome whether the state moved, stayed (a repeat, maybe with effects), or the event was
 *     ignored as stale or out of order (never with effects)
 */
public record Transition(TaskState state, Set<Effect> effects, Outcome outcome) {

    /** How the event was taken. */
    public enum Outcome { MOVED, UNCHANGED, IGNORED }

    public Transition {
        effects = effects.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(effects));
    }

    static Transition moved(TaskState to, Effect... effects) {
        return new Transition(to, set(effects), Outcome.MOVED);
    }

    static Transition unchanged(TaskState at, Effect... effects) {
        return new Transition(at, set(effects), Outcome.UNCHANGED);
    }

    static Transition ignored(TaskState at) {
        return new Transition(at, Set.of(), Outcome.IGNORED);
    }

    private static Set<Effect> set(Effect... effects) {
        EnumSet<Effect> s = EnumSet.noneOf(Effect.class);
        Collections.addAll(s, effects);
        return s;
    }
}
