package io.remit.kit.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Power of two choices over the least outstanding requests: pick two instances at random and send
 * to the one with fewer calls in flight. Spreads load like "least loaded" without every client
 * herding onto the same instance, and steers away from a slow instance at once.
 */
public final class LoadBalancer {

    private final ConcurrentHashMap<String, AtomicInteger> outstanding = new ConcurrentHashMap<>();

    /**
     * Chooses among {@code candidates}, avoiding those in {@code avoid} (already tried in this call)
     * while there are others; null when there are no candidates.
     */
    public String choose(List<String> candidates, Set<String> avoid) {
        List<String> pool = candidates;
        if (!avoid.isEmpty()) {
            List<String> fresh = new ArrayList<>(candidates.size());
            for (String c : candidates) {
                if (!avoid.contains(c)) {
                    fresh.add(c);
                }
            }
            if (!fresh.isEmpty()) {
                pool = fresh;
            }
        }
        int n = pool.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return pool.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        String first = pool.get(a);
        String second = pool.get(b);
        return inFlight(first) <= inFlight(second) ? first : second;
    }

    /** Marks a call to {@code instance} as started; close the returned handle when it ends. */
    public Lease start(String instance) {
        AtomicInteger counter = outstanding.computeIfAbsent(instance, k -> new AtomicInteger());
        counter.incrementAndGet();
        return counter::decrementAndGet;
    }

    public int inFlight(String instance) {
        AtomicInteger counter = outstanding.get(instance);
        return counter == null ? 0 : counter.get();
    }

    /** An outstanding call; closing it twice is a bug. */
    @FunctionalInterface
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
