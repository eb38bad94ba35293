package io.remit.scheduler.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed sign-ins per client address: after {@code maxFailures} wrong or expired
 * credentials within {@code window}, that address is refused (429, {@code Retry-After}) until the
 * oldest of those failures leaves the window, even with right credentials, so guessing a token or
 * a password is slow. Successful sign-ins do not count. Thread-safe; memory is bounded by the
 * addresses that failed within the window.
 */
public final class SignInLimiter {

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public SignInLimiter(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code client} must wait before trying again; empty when it may try now. */
    public Optional<Duration> blockedFor(String client) {
        Deque<Instant> recent = failures.get(client);
        if (recent == null) {
            return Optional.empty();
        }
        synchronized (recent) {
            Instant now = clock.instant();
            prune(recent, now);
            if (recent.size() < maxFailures) {
                return Optional.empty();
            }
            Duration wait = Duration.between(now, recent.peekFirst().plus(window));
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        }
    }

    /** Counts a failed sign-in of {@code client}. */
    public void failed(String client) {
        Instant now = clock.instant();
        Deque<Instant> recent = failures.computeIfAbsent(client, c -> new ArrayDeque<>());
        synchronized (recent) {
            prune(recent, now);
            recent.addLast(now);
            while (recent.size() > maxFailures) {
                recent.removeFirst();
            }
        }
        if (failures.size() > 10_000) {
            forgetOld(now);
        }
    }

    private void prune(Deque<Instant> recent, Instant now) {
        while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
            recent.removeFirst();
        }
    }

    private void forgetOld(Instant now) {
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> recent = it.next().getValue();
            synchronized (recent) {
                prune(recent, now);
                if (recent.isEmpty()) {
                    it.remove();
                }
            }
        }
    }
}
