package io.remit.kit.routing;

import io.remit.registry.discovery.Experiment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The cohort key of the work the current thread is doing: who a request is for (a payer, a
 * client), so that every service of an {@link Experiment} serves it at the same arm. The kit's
 * servlet filter sets it for each request from the inbound {@value #HEADER} header (or, where the
 * request enters, from the header or JSON body field an experiment names), and every
 * {@link io.remit.kit.client.ServiceClient} call made on the request's thread sends it on in the
 * same header, as the trace context is. A caller outside a request (a gateway, a test, a job)
 * {@linkplain #open opens} one, or gives one call its key with
 * {@link io.remit.kit.client.Call#withCohort}.
 *
 * <p>A key is at most {@value #MAX_LENGTH} characters of printable ASCII once {@link #clean}ed;
 * other text (a payer id in Greek) is percent-encoded as UTF-8 first, the same in every service.
 */
public final class Cohort {

    public static final String HEADER = Experiment.COHORT_HEADER;
    public static final int MAX_LENGTH = 256;
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Cohort() {
    }

    /** The current thread's cohort key, or null. */
    public static String current() {
        return CURRENT.get();
    }

    /**
     * Makes {@code key} ({@linkplain #clean cleaned}; null for none) the current thread's cohort
     * key until the returned scope closes, then restores what was before.
     */
    public static Scope open(String key) {
        String before = CURRENT.get();
        CURRENT.set(clean(key));
        return () -> CURRENT.set(before);
    }

    /** Sets the key inside a scope the caller's filter opened (the kit's body-field filter). */
    static void set(String key) {
        CURRENT.set(clean(key));
    }

    /**
     * {@code value} as a cohort key: stripped; percent-encoded (UTF-8) unless it is printable ASCII;
     * null when blank or longer than {@value #MAX_LENGTH} characters after that.
     */
    public static String clean(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.isEmpty()) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                v = URLEncoder.encode(v, StandardCharsets.UTF_8);
                break;
            }
        }
        return v.length() > MAX_LENGTH ? null : v;
    }

    /** A scope to close in a try-with-resources; closing never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
