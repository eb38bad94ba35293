package io.remit.kit.client;

import java.util.function.LongSupplier;

/**
 * Caps retries at a fraction of the calls made over the last ten seconds, plus a small allowance
 * per second, so that when a dependency fails every caller does not multiply its load by the
 * number of attempts (Finagle's retry budget, in spirit). Thread-safe.
 */
public final class RetryBudget {

    private static final int SECONDS = 10;

    private final double ratio;
    private final int minPerSecond;
    private final LongSupplier nanoClock;
    private final long[] calls = new long[SECONDS];
    private final long[] retries = new long[SECONDS];
    private long currentSecond;

    public RetryBudget(double ratio, int minPerSecond) {
        this(ratio, minPerSecond, System::nanoTime);
    }

    RetryBudget(double ratio, int minPerSecond, LongSupplier nanoClock) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.nanoClock = nanoClock;
        this.currentSecond = nanoClock.getAsLong() / 1_000_000_000L;
    }

    /** Counts a first attempt. */
    public synchronized void recordCall() {
        advance();
        calls[(int) (currentSecond % SECONDS)]++;
    }

    /** Takes one retry from the budget; false when the budget is spent (do not retry). */
    public synchronized boolean tryRetry() {
        advance();
        long madeCalls = 0;
        long madeRetries = 0;
        for (int i = 0; i < SECONDS; i++) {
            madeCalls += calls[i];
            madeRetries += retries[i];
        }
        double allowed = ratio * madeCalls + (double) minPerSecond * SECONDS;
        if (madeRetries + 1 > allowed) {
            return false;
        }
        retries[(int) (currentSecond % SECONDS)]++;
        return true;
    }

    private void advance() {
        long now = nanoClock.getAsLong() / 1_000_000_000L;
        if (now <= currentSecond) {
            return;
        }
        long steps = Math.min(SECONDS, now - currentSecond);
        for (long s = 1; s <= steps; s++) {
            int slot = (int) ((currentSecond + s) % SECONDS);
            calls[slot] = 0;
            retries[slot] = 0;
        }
        currentSecond = now;
    }
}
