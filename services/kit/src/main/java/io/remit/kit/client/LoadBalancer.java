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
 *
 * <p>An instance that could not be reached (refused, timed out) is set aside for a short while,
 * doubling up to a cap while it keeps failing, so that calls stop paying an attempt on an instance
 * that died before discovery noticed; it is still used when no other instance is left.
 *
 * <p>With weights ({@link #choose(List, int[], Set)}), the two are drawn in proportion to their
 * weights and compared by calls in flight per unit of weight; an instance of weight 0 is chosen
 * only when every candidate weighs 0.
 */
public final class LoadBalancer {

    private static final long FIRST_EJECTION_NANOS = 500_000_000L;
    private static final long MAX_EJECTION_NANOS = 10_000_000_000L;

    private final ConcurrentHashMap<String, AtomicInteger> outstanding = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, long[]> ejected = new ConcurrentHashMap<>();

    /**
     * Chooses among {@code candidates}, avoiding those in {@code avoid} (already tried in this call)
     * while there are others; null when there are no candidates.
     */
    public String choose(List<String> candidates, Set<String> avoid) {
        List<String> pool = candidates;
        long now = System.nanoTime();
        if (!avoid.isEmpty() || !ejected.isEmpty()) {
            List<String> fresh = new ArrayList<>(candidates.size());
            List<String> untried = new ArrayList<>(candidates.size());
            for (String c : candidates) {
                if (!avoid.contains(c)) {
                    untried.add(c);
                    if (!isEjected(c, now)) {
                        fresh.add(c);
                    }
                }
            }
            if (!fresh.isEmpty()) {
                pool = fresh;
            } else if (!untried.isEmpty()) {
                pool = untried;
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

    /**
     * As {@link #choose(List, Set)}, the candidates weighted: {@code weights[i]} is the weight of
     * {@code candidates.get(i)}; {@code null} weights them alike (exactly {@link #choose(List, Set)}).
     */
    public String choose(List<String> candidates, int[] weights, Set<String> avoid) {
        if (weights == null) {
            return choose(candidates, avoid);
        }
        List<String> pool = candidates;
        int[] poolWeights = weights;
        long now = System.nanoTime();
        if (!avoid.isEmpty() || !ejected.isEmpty()) {
            List<String> fresh = new ArrayList<>(candidates.size());
            List<String> untried = new ArrayList<>(candidates.size());
            int[] freshWeights = new int[candidates.size()];
            int[] untriedWeights = new int[candidates.size()];
            for (int i = 0; i < candidates.size(); i++) {
                String c = candidates.get(i);
                if (!avoid.contains(c)) {
                    untriedWeights[untried.size()] = weights[i];
                    untried.add(c);
                    if (!isEjected(c, now)) {
                        freshWeights[fresh.size()] = weights[i];
                        fresh.add(c);
                    }
                }
            }
            if (!fresh.isEmpty()) {
                pool = fresh;
                poolWeights = freshWeights;
            } else if (!untried.isEmpty()) {
                pool = untried;
                poolWeights = untriedWeights;
            }
        }
        int n = pool.size();
        if (n == 0) {
            return null;
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += poolWeights[i];
        }
        if (total == 0) {
            return choose(pool, Set.of());
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = draw(poolWeights, n, total, -1, random);
        long rest = total - poolWeights[a];
        if (rest == 0) {
            return pool.get(a);
        }
        int b = draw(poolWeights, n, rest, a, random);
        // fewer calls in flight per unit of weight: inFlight(a) / w(a) <= inFlight(b) / w(b)
        return (long) inFlight(pool.get(a)) * poolWeights[b] <= (long) inFlight(pool.get(b)) * poolWeights[a]
                ? pool.get(a) : pool.get(b);
    }

    /** An index drawn in proportion to its weight among the first {@code n}, {@code skip} left out; {@code total} their sum. */
    private static int draw(int[] weights, int n, long total, int skip, ThreadLocalRandom random) {
        long r = random.nextLong(total);
        for (int i = 0; i < n; i++) {
            if (i == skip) {
                continue;
            }
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        throw new IllegalStateException("weights changed while drawing");
    }

    /** {@code instance} could not be reached: set it aside for a while. */
    public void markFailed(String instance) {
        long now = System.nanoTime();
        ejected.compute(instance, (k, v) -> {
            long span = v == null ? FIRST_EJECTION_NANOS : Math.min(MAX_EJECTION_NANOS, v[1] * 2);
            return new long[] {now + span, span};
        });
    }

    /** {@code instance} answered: use it normally again. */
    public void markHealthy(String instance) {
        if (!ejected.isEmpty()) {
            ejected.remove(instance);
        }
    }

    private boolean isEjected(String instance, long now) {
        long[] e = ejected.get(instance);
        return e != null && now - e[0] < 0;
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
