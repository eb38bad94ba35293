package io.remit.kit.trace;

import brave.sampler.Sampler;
import io.remit.kit.RuntimeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the traces this service starts at a rate read live from the runtime config key
 * {@value TracingSettings#SAMPLE_RATE_KEY} (0.0 to 1.0), else the configured default. The decision
 * is a function of the trace id, so it costs no lock. A trace that arrives with a sampling
 * decision keeps it: the rate applies only where a trace begins.
 */
final class RateSampler extends Sampler {

    private static final Logger LOG = LoggerFactory.getLogger(RateSampler.class);
    private static final long BUCKETS = 10_000;

    private final double defaultRate;
    private volatile long threshold;

    RateSampler(double defaultRate, RuntimeConfig config) {
        this.defaultRate = defaultRate;
        this.threshold = thresholdOf(defaultRate);
        config.watch(TracingSettings.SAMPLE_RATE_KEY, value -> {
            double rate = value.map(v -> parse(v, defaultRate)).orElse(defaultRate);
            threshold = thresholdOf(rate);
        });
    }

    @Override
    public boolean isSampled(long traceId) {
        long t = threshold;
        if (t <= 0) {
            return false;
        }
        if (t >= BUCKETS) {
            return true;
        }
        return Math.floorMod(traceId, BUCKETS) < t;
    }

    /** The rate in force now. */
    double rate() {
        return threshold / (double) BUCKETS;
    }

    private static long thresholdOf(double rate) {
        return Math.round(Math.max(0, Math.min(1, rate)) * BUCKETS);
    }

    private static double parse(String value, double fallback) {
        try {
            double rate = Double.parseDouble(value.strip());
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        LOG.warn("{} = \"{}\" is not a rate from 0.0 to 1.0; sampling at {}", TracingSettings.SAMPLE_RATE_KEY, value, fallback);
        return fallback;
    }
}
