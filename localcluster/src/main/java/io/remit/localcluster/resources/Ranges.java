package io.remit.localcluster.resources;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.mesos.v1.Protos.Value;

/** An immutable, normalised set of inclusive integer ranges, e.g. {@code [31000-31005, 31010-32000]}. */
public final class Ranges {

    public static final Ranges EMPTY = new Ranges(List.of());

    /** Sorted, non-overlapping, non-adjacent {begin, end} pairs. */
    private final List<long[]> spans;

    private Ranges(List<long[]> normalised) {
        this.spans = Collections.unmodifiableList(normalised);
    }

    public static Ranges of(long begin, long end) {
        return normalise(List.of(new long[] {begin, end}));
    }

    /** @throws IllegalArgumentException when a range ends before it begins */
    public static Ranges fromProto(Value.Ranges proto) {
        List<long[]> raw = new ArrayList<>();
        for (Value.Range r : proto.getRangeList()) {
            if (r.getEnd() < r.getBegin()) {
                throw new IllegalArgumentException("Range [" + r.getBegin() + "-" + r.getEnd() + "] ends before it begins");
            }
            raw.add(new long[] {r.getBegin(), r.getEnd()});
        }
        return normalise(raw);
    }

    /** Parses Mesos's text form {@code [31000-32000, 33000-33010]}. */
    public static Ranges parse(String text) {
        String body = text.trim();
        if (body.startsWith("[") && body.endsWith("]")) {
            body = body.substring(1, body.length() - 1);
        }
        List<long[]> raw = new ArrayList<>();
        for (String part : body.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String[] be = p.split("-");
            if (be.length != 2) {
                throw new IllegalArgumentException("Bad range '" + p + "' in '" + text + "'");
            }
            long b = Long.parseLong(be[0].trim());
            long e = Long.parseLong(be[1].trim());
            if (e < b) {
                throw new IllegalArgumentException("Range '" + p + "' ends before it begins");
            }
            raw.add(new long[] {b, e});
        }
        return normalise(raw);
    }

    public Value.Ranges toProto() {
        Value.Ranges.Builder b = Value.Ranges.newBuilder();
        for (long[] s : spans) {
            b.addRange(Value.Range.newBuilder().setBegin(s[0]).setEnd(s[1]));
        }
        return b.build();
    }

    public boolean isEmpty() {
        return spans.isEmpty();
    }

    /** How many integers the ranges hold. */
    public long size() {
        long n = 0;
        for (long[] s : spans) {
            n += s[1] - s[0] + 1;
        }
        return n;
    }

    public List<long[]> spans() {
        return spans;
    }

    public Ranges plus(Ranges other) {
        List<long[]> all = new ArrayList<>(spans);
        all.addAll(other.spans);
        return normalise(all);
    }

    public boolean contains(Ranges other) {
        for (long[] o : other.spans) {
            boolean inside = false;
            for (long[] s : spans) {
                if (s[0] <= o[0] && o[1] <= s[1]) {
                    inside = true;
                    break;
                }
            }
            if (!inside) {
                return false;
            }
        }
        return true;
    }

    public Ranges minus(Ranges other) {
        List<long[]> out = new ArrayList<>();
        for (long[] s : spans) {
            long b = s[0];
            long e = s[1];
            List<long[]> pieces = new ArrayList<>();
            pieces.add(new long[] {b, e});
            for (long[] o : other.spans) {
                List<long[]> next = new ArrayList<>();
                for (long[] p : pieces) {
                    if (o[1] < p[0] || o[0] > p[1]) {
                        next.add(p);
                        continue;
                    }
                    if (o[0] > p[0]) {
                        next.add(new long[] {p[0], o[0] - 1});
                    }
                    if (o[1] < p[1]) {
                        next.add(new long[] {o[1] + 1, p[1]});
                    }
                }
                pieces = next;
            }
            out.addAll(pieces);
        }
        return normalise(out);
    }

    private static Ranges normalise(List<long[]> raw) {
        List<long[]> sorted = new ArrayList<>();
        for (long[] r : raw) {
            sorted.add(new long[] {r[0], r[1]});
        }
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : sorted) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] + 1 >= r[0]) {
                long[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r);
            }
        }
        return new Ranges(merged);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Ranges other) || other.spans.size() != spans.size()) {
            return false;
        }
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i)[0] != other.spans.get(i)[0] || spans.get(i)[1] != other.spans.get(i)[1]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Mesos's text form, e.g. {@code [31000-32000]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (long[] s : spans) {
            parts.add(s[0] + "-" + s[1]);
        }
        return "[" + String.join(", ", parts) + "]";
    }
}
