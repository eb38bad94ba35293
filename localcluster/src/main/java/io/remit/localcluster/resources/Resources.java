package io.remit.localcluster.resources;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * An immutable bag of unreserved resources: named scalars (cpus, mem, disk, ...) and named sets
 * of ranges (ports). Scalars are kept to three decimal places, as Mesos does, so that adding and
 * subtracting never drifts.
 */
public final class Resources {

    public static final Resources EMPTY = new Resources(Map.of(), Map.of());

    private final Map<String, Double> scalars;
    private final Map<String, Ranges> ranges;

    private Resources(Map<String, Double> scalars, Map<String, Ranges> ranges) {
        this.scalars = Collections.unmodifiableMap(new TreeMap<>(scalars));
        this.ranges = Collections.unmodifiableMap(new TreeMap<>(ranges));
    }

    public static Resources of(double cpus, double memMb, double diskMb, Ranges ports) {
        Map<String, Double> s = new TreeMap<>();
        s.put("cpus", round(cpus));
        s.put("mem", round(memMb));
        s.put("disk", round(diskMb));
        Map<String, Ranges> r = new TreeMap<>();
        if (!ports.isEmpty()) {
            r.put("ports", ports);
        }
        return new Resources(s, r).withoutZeros();
    }

    /**
     * Resources named in protobuf form. Only SCALAR and RANGES are understood.
     *
     * @throws IllegalArgumentException for another type, a negative or non-finite scalar, or a
     *     range whose end is before its begin
     */
    public static Resources fromProto(List<Resource> list) {
        Map<String, Double> s = new TreeMap<>();
        Map<String, Ranges> r = new TreeMap<>();
        for (Resource res : list) {
            switch (res.getType()) {
                case SCALAR -> {
                    double v = res.getScalar().getValue();
                    if (!Double.isFinite(v) || v < 0) {
                        throw new IllegalArgumentException("Resource '" + res.getName() + "' has invalid scalar value " + v);
                    }
                    s.merge(res.getName(), round(v), (a, b) -> round(a + b));
                }
                case RANGES -> {
                    Ranges add = Ranges.fromProto(res.getRanges());
                    r.merge(res.getName(), add, Ranges::plus);
                }
                default -> throw new IllegalArgumentException(
                        "Resource '" + res.getName() + "' has unsupported type " + res.getType());
            }
        }
        return new Resources(s, r).withoutZeros();
    }

    /**
     * The resources in protobuf form, unreserved (role {@code *}), with allocation info for
     * {@code allocationRole} when it is not null (Mesos sets it only for MULTI_ROLE frameworks).
     */
    public List<Resource> toProto(String allocationRole) {
        List<Resource> out = new ArrayList<>();
        scalars.forEach((name, v) -> out.add(base(name, allocationRole)
                .setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(v))
                .build()));
        ranges.forEach((name, v) -> out.add(base(name, allocationRole)
                .setType(Value.Type.RANGES)
                .setRanges(v.toProto())
                .build()));
        return out;
    }

    private static Resource.Builder base(String name, String allocationRole) {
        Resource.Builder b = Resource.newBuilder().setName(name).setRole("*");
        if (allocationRole != null) {
            b.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
        }
        return b;
    }

    public double scalar(String name) {
        return scalars.getOrDefault(name, 0.0);
    }

    public Ranges ranges(String name) {
        return ranges.getOrDefault(name, Ranges.EMPTY);
    }

    public Map<String, Double> scalars() {
        return scalars;
    }

    public Map<String, Ranges> allRanges() {
        return ranges;
    }

    public boolean isEmpty() {
        return scalars.isEmpty() && ranges.isEmpty();
    }

    public Resources plus(Resources other) {
        Map<String, Double> s = new TreeMap<>(scalars);
        other.scalars.forEach((k, v) -> s.merge(k, v, (a, b) -> round(a + b)));
        Map<String, Ranges> r = new TreeMap<>(ranges);
        other.ranges.forEach((k, v) -> r.merge(k, v, Ranges::plus));
        return new Resources(s, r).withoutZeros();
    }

    /** This minus {@code other}; {@code other} must be {@link #contains contained} in this. */
    public Resources minus(Resources other) {
        if (!contains(other)) {
            throw new IllegalArgumentException(other + " is not contained in " + this);
        }
        Map<String, Double> s = new TreeMap<>(scalars);
        other.scalars.forEach((k, v) -> s.put(k, round(s.get(k) - v)));
        Map<String, Ranges> r = new TreeMap<>(ranges);
        other.ranges.forEach((k, v) -> r.put(k, r.get(k).minus(v)));
        return new Resources(s, r).withoutZeros();
    }

    /** True when every scalar and every range of {@code other} is available here. */
    public boolean contains(Resources other) {
        for (Map.Entry<String, Double> e : other.scalars.entrySet()) {
            if (e.getValue() > scalar(e.getKey()) + 1e-9) {
                return false;
            }
        }
        for (Map.Entry<String, Ranges> e : other.ranges.entrySet()) {
            if (!ranges(e.getKey()).contains(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private Resources withoutZeros() {
        boolean any = scalars.values().stream().anyMatch(v -> v == 0.0)
                || ranges.values().stream().anyMatch(Ranges::isEmpty);
        if (!any) {
            return this;
        }
        Map<String, Double> s = new TreeMap<>(scalars);
        s.values().removeIf(v -> v == 0.0);
        Map<String, Ranges> r = new TreeMap<>(ranges);
        r.values().removeIf(Ranges::isEmpty);
        return new Resources(s, r);
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resources other && scalars.equals(other.scalars) && ranges.equals(other.ranges);
    }

    @Override
    public int hashCode() {
        return scalars.hashCode() * 31 + ranges.hashCode();
    }

    /** Mesos's own text form, e.g. {@code cpus:2; mem:1024; ports:[31000-32000]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        scalars.forEach((k, v) -> parts.add(k + ":" + format(v)));
        ranges.forEach((k, v) -> parts.add(k + ":" + v));
        return String.join("; ", parts);
    }

    public static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
