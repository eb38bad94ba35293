package io.remit.scheduler.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks specs and lists every problem at once, each with the field path it concerns
 * (e.g. {@code resources.memMb: must be at least 32}). Pure and thread-safe.
 */
public final class SpecValidator {

    private SpecValidator() {}

    /** The problems of a spec built in code; empty when valid. */
    public static List<Violation> validate(ServiceSpec spec) {
        if (spec == null) {
            return List.of(new Violation("", "the spec is empty"));
        }
        return List.copyOf(SpecRules.check(spec, p -> false));
    }

    /**
     * The problems of a spec as read from YAML or JSON, before binding: unknown fields, missing
     * fields and wrong types (a string where a number belongs) as well as every value rule.
     */
    public static List<Violation> validate(JsonNode tree) {
        return bind(tree).violations();
    }

    /** Binds and validates; the spec is non-null only when there are no violations. */
    static SpecBinder.Bound bind(JsonNode tree) {
        SpecBinder.Bound bound = SpecBinder.bind(tree);
        List<Violation> all = new ArrayList<>(bound.violations());
        if (bound.spec() != null) {
            List<String> brokenPaths = bound.violations().stream().map(Violation::path).toList();
            for (Violation v : SpecRules.check(bound.spec(), p -> touches(brokenPaths, p))) {
                if (!under(brokenPaths, v.path())) {
                    all.add(v);
                }
            }
        }
        all.sort(java.util.Comparator.comparingInt(v -> fieldOrder(v.path())));
        return new SpecBinder.Bound(all.isEmpty() ? bound.spec() : null, List.copyOf(all));
    }

    /** Sorts problems in the order of the spec's fields (stable within a field); unknown fields last. */
    private static int fieldOrder(String path) {
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        int i = SpecBinder.TOP.indexOf(path.substring(0, end));
        return path.isEmpty() ? -1 : i < 0 ? SpecBinder.TOP.size() : i;
    }

    /** Whether path is one of the broken paths or lies inside one. */
    private static boolean under(List<String> broken, String path) {
        for (String b : broken) {
            if (b.isEmpty() || path.equals(b) || path.startsWith(b + ".") || path.startsWith(b + "[")) {
                return true;
            }
        }
        return false;
    }

    /** Whether path, something inside it, or something containing it is broken. */
    private static boolean touches(List<String> broken, String path) {
        if (under(broken, path)) {
            return true;
        }
        for (String b : broken) {
            if (b.startsWith(path + ".") || b.startsWith(path + "[")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a whole set of specs: each spec's own rules, duplicate ids, dependencies on services
     * not in the set, and dependency cycles. Paths are prefixed with {@code services[<id>]}.
     */
    public static List<Violation> validateAll(Collection<ServiceSpec> specs) {
        List<Violation> out = new ArrayList<>();
        Map<String, ServiceSpec> byId = new TreeMap<>();
        int i = 0;
        for (ServiceSpec s : specs) {
            String key = s.id() == null ? "#" + i : s.id();
            for (Violation v : validate(s)) {
                out.add(prefixed(key, v.path(), v.message()));
            }
            if (s.id() != null && byId.putIfAbsent(s.id(), s) != null) {
                out.add(prefixed(key, "id", "duplicate id '" + s.id() + "'"));
            }
            i++;
        }
        for (ServiceSpec s : byId.values()) {
            for (int d = 0; d < s.dependencies().size(); d++) {
                String dep = s.dependencies().get(d);
                if (!byId.containsKey(dep) && !dep.equals(s.id())) {
                    out.add(prefixed(s.id(), SpecBinder.index("dependencies", d), "unknown service '" + dep + "'"));
                }
            }
        }
        for (List<String> cycle : cycles(byId)) {
            out.add(prefixed(cycle.get(0), "dependencies", "dependency cycle: " + String.join(" -> ", cycle)));
        }
        return List.copyOf(out);
    }

    private static Violation prefixed(String id, String path, String message) {
        String p = "services[" + id + "]";
        return new Violation(path.isEmpty() ? p : p + "." + path, message);
    }

    /**
     * Dependency cycles (self-dependencies excluded, they are reported per spec), each starting
     * and ending at its smallest id, found by a depth-first search in id order: at least one per
     * group of services that depend on each other in a circle, deterministic.
     */
    private static List<List<String>> cycles(Map<String, ServiceSpec> byId) {
        List<List<String>> found = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        Map<String, Integer> colour = new HashMap<>(); // absent: unvisited, 1: on stack, 2: done
        for (String start : byId.keySet()) {
            if (colour.containsKey(start)) {
                continue;
            }
            Deque<String> stack = new ArrayDeque<>();
            Deque<Integer> next = new ArrayDeque<>();
            stack.push(start);
            next.push(0);
            colour.put(start, 1);
            while (!stack.isEmpty()) {
                String node = stack.peek();
                List<String> deps = byId.get(node).dependencies();
                int k = next.pop();
                if (k >= deps.size()) {
                    colour.put(node, 2);
                    stack.pop();
                    continue;
                }
                next.push(k + 1);
                String dep = deps.get(k);
                if (!byId.containsKey(dep) || dep.equals(node)) {
                    continue;
                }
                Integer c = colour.get(dep);
                if (c == null) {
                    colour.put(dep, 1);
                    stack.push(dep);
                    next.push(0);
                } else if (c == 1) {
                    List<String> cycle = cycleFrom(stack, dep);
                    if (seen.add(cycle)) {
                        found.add(cycle);
                    }
                }
            }
        }
        return found;
    }

    private static List<String> cycleFrom(Deque<String> stack, String dep) {
        List<String> path = new ArrayList<>();
        for (String s : stack) { // top of stack first
            path.add(0, s);
            if (s.equals(dep)) {
                break;
            }
        }
        int min = 0;
        for (int j = 1; j < path.size(); j++) {
            if (path.get(j).compareTo(path.get(min)) < 0) {
                min = j;
            }
        }
        List<String> cycle = new ArrayList<>();
        for (int j = 0; j <= path.size(); j++) {
            cycle.add(path.get((min + j) % path.size()));
        }
        return List.copyOf(cycle);
    }
}
