package io.remit.localcluster.resources;

import java.util.LinkedHashMap;
import java.util.Map;

/** Mesos's text forms of resources ({@code cpus:4;mem:8192;ports:[31000-32000]}) and attributes ({@code rack:r1}). */
public final class ResourceSpec {

    private ResourceSpec() {
    }

    /** @throws IllegalArgumentException naming the part that does not parse */
    public static Resources parse(String spec) {
        Resources r = Resources.EMPTY;
        for (Map.Entry<String, String> e : pairs(spec).entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (value.startsWith("[")) {
                r = r.plus(Resources.fromProto(java.util.List.of(org.apache.mesos.v1.Protos.Resource.newBuilder()
                        .setName(name).setType(org.apache.mesos.v1.Protos.Value.Type.RANGES)
                        .setRanges(Ranges.parse(value).toProto()).build())));
            } else {
                double d;
                try {
                    d = Double.parseDouble(value);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("resource '" + name + "' has a value that is not a number: " + value);
                }
                r = r.plus(Resources.fromProto(java.util.List.of(org.apache.mesos.v1.Protos.Resource.newBuilder()
                        .setName(name).setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR)
                        .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(d)).build())));
            }
        }
        return r;
    }

    public static Map<String, String> attributes(String spec) {
        return pairs(spec);
    }

    private static Map<String, String> pairs(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException("expected name:value, got '" + p + "'");
            }
            out.put(p.substring(0, colon).trim(), p.substring(colon + 1).trim());
        }
        return out;
    }
}
