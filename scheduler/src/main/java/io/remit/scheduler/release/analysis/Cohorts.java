package io.remit.scheduler.release.analysis;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The two groups of instances an analysis compares, by the {@code instance} label Prometheus
 * gives every series it scrapes from an instance (its Mesos task id): {@code baseline} runs the
 * current revision, {@code canary} the new one. Selecting by instance rather than by version
 * tells two revisions apart even when their version strings are the same.
 *
 * @throws IllegalArgumentException when either group is empty or an instance is in both: there
 *     is nothing to compare, and the caller should not ask
 */
public record Cohorts(String service, Set<String> baseline, Set<String> canary) {

    public Cohorts {
        Objects.requireNonNull(service, "service");
        baseline = sorted(baseline, "baseline");
        canary = sorted(canary, "canary");
        for (String id : canary) {
            if (baseline.contains(id)) {
                throw new IllegalArgumentException("instance " + id + " is in both the baseline and the canary");
            }
        }
    }

    private static SortedSet<String> sorted(Set<String> ids, String what) {
        Objects.requireNonNull(ids, what);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " has no instances: nothing to compare");
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(ids));
    }

    /** PromQL label matchers for the baseline: {@code service="x",instance=~"id1|id2"}. */
    public String baselineMatchers() {
        return matchers(service, baseline);
    }

    /** PromQL label matchers for the canary. */
    public String canaryMatchers() {
        return matchers(service, canary);
    }

    /**
     * Label matchers selecting {@code ids} of {@code service}; each id matched literally (its
     * regular expression characters escaped), the whole written as PromQL string literals.
     */
    static String matchers(String service, Set<String> ids) {
        StringBuilder regex = new StringBuilder();
        for (String id : ids) {
            if (regex.length() > 0) {
                regex.append('|');
            }
            regex.append(literalRegex(id));
        }
        return "service=" + quote(service) + ",instance=~" + quote(regex.toString());
    }

    /** A regular expression (RE2, as Prometheus uses) that matches exactly {@code text}. */
    static String literalRegex(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** A PromQL string literal. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
