package io.remit.scheduler.release.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.scheduler.spec.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads and checks a spec's {@code analysis} block, listing every problem at once, each with the
 * path of the field it concerns under a base path given by the caller (e.g.
 * {@code deployment.analysis.errorRate.max: must be a share from 0 to 1 (0.01 is 1%), got 5}).
 * Pure and thread-safe.
 */
public final class AnalysisValidator {

    /** A bound analysis: {@code spec} is non-null only when there are no violations. */
    public record Result(AnalysisSpec spec, List<Violation> violations) {

        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private AnalysisValidator() {}

    /**
     * Binds and checks the block as read from YAML or JSON: unknown fields and metrics, missing
     * and mistyped fields, and every value rule.
     *
     * @param basePath where the block sits in its document, put before every path (e.g.
     *     {@code deployment.analysis}); empty for none
     */
    public static Result bind(JsonNode tree, String basePath) {
        AnalysisBinder.Bound bound = AnalysisBinder.bind(tree);
        List<Violation> all = new ArrayList<>(bound.violations());
        if (bound.spec() != null) {
            List<String> brokenPaths = bound.violations().stream().map(Violation::path).toList();
            all.addAll(AnalysisRules.check(bound.spec(), brokenPaths));
        }
        all.sort(Comparator.comparingInt(v -> fieldOrder(v.path())));
        return new Result(all.isEmpty() ? bound.spec() : null, prefixed(basePath, all));
    }

    /** The problems of the block as read from YAML or JSON; empty when valid. */
    public static List<Violation> validate(JsonNode tree, String basePath) {
        return bind(tree, basePath).violations();
    }

    /** The problems of an analysis built in code; empty when valid. */
    public static List<Violation> validate(AnalysisSpec spec, String basePath) {
        if (spec == null) {
            return prefixed(basePath, List.of(new Violation("", "required")));
        }
        List<Violation> all = new ArrayList<>(AnalysisRules.check(spec, List.of()));
        all.sort(Comparator.comparingInt(v -> fieldOrder(v.path())));
        return prefixed(basePath, all);
    }

    /** In the order of the block's fields (stable within one); the block itself first, unknown fields last. */
    private static int fieldOrder(String path) {
        if (path.isEmpty()) {
            return -1;
        }
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        int i = AnalysisBinder.FIELDS.indexOf(path.substring(0, end));
        return i < 0 ? AnalysisBinder.FIELDS.size() : i;
    }

    private static List<Violation> prefixed(String base, List<Violation> violations) {
        String b = base == null ? "" : base;
        return violations.stream()
                .map(v -> new Violation(b.isEmpty() ? v.path() : v.path().isEmpty() ? b
                        : v.path().startsWith("[") ? b + v.path() : b + "." + v.path(), v.message()))
                .toList();
    }
}
