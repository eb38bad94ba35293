package io.remit.scheduler.placement;

import io.remit.scheduler.spec.Constraint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Explains, for a human, why a demand could not be placed in full. */
final class WhyNot {

    private WhyNot() {}

    /** What stops each offer, first reason only, in the order the checks run. */
    private enum Cause { FILTER, MISSING_ATTRIBUTE, UNIQUE, CPUS, MEM, DISK, PORTS, FITS }

    static String explain(DemandPlacer p, OfferState[] offers) {
        if (p.blockedReason != null) {
            return p.blockedReason;
        }
        if (offers.length == 0) {
            return "no offers";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Set<String>> hosts = new LinkedHashMap<>();
        Map<String, Cause> causeOf = new LinkedHashMap<>();
        for (OfferState s : offers) {
            Cause cause;
            String key;
            Constraint c;
            if ((c = p.failedFilter(s.offer)) != null) {
                cause = Cause.FILTER;
                key = "excluded by constraint " + c;
            } else if ((c = p.missingAttribute(s.offer)) != null) {
                cause = Cause.MISSING_ATTRIBUTE;
                key = "lack the attribute '" + c.attribute() + "' (constraint " + c + ")";
            } else if ((c = p.takenUnique(s.offer)) != null) {
                cause = Cause.UNIQUE;
                key = "excluded by constraint " + c;
            } else if (s.remaining(Dim.CPUS) < p.need[Dim.CPUS.ordinal()]) {
                cause = Cause.CPUS;
                key = shortOf(p, Dim.CPUS);
            } else if (s.remaining(Dim.MEM) < p.need[Dim.MEM.ordinal()]) {
                cause = Cause.MEM;
                key = shortOf(p, Dim.MEM);
            } else if (s.remaining(Dim.DISK) < p.need[Dim.DISK.ordinal()]) {
                cause = Cause.DISK;
                key = shortOf(p, Dim.DISK);
            } else if (s.freePorts() < p.needPorts) {
                cause = Cause.PORTS;
                key = "have too few free ports (needs " + ports(p) + ")";
            } else {
                cause = Cause.FITS;
                key = "fit";
            }
            counts.merge(key, 1, Integer::sum);
            causeOf.putIfAbsent(key, cause);
            String value = c == null ? s.offer.hostname() : s.offer.attribute(c.attribute());
            hosts.computeIfAbsent(key, k -> new HashSet<>()).add(value == null ? "" : value);
        }
        if (counts.size() == 1) {
            String key = counts.keySet().iterator().next();
            return single(p, offers, causeOf.get(key), hosts.get(key).size());
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((key, n) -> parts.add(n + (n == 1 ? " offer " : " offers ") + singular(key, n)));
        return "no offer fits: " + String.join(", ", parts);
    }

    private static String single(DemandPlacer p, OfferState[] offers, Cause cause, int values) {
        return switch (cause) {
            case FILTER -> "constraint " + p.failedFilter(offers[0].offer) + ": none of the " + offers.length
                    + " offers matches";
            case MISSING_ATTRIBUTE -> {
                Constraint c = p.missingAttribute(offers[0].offer);
                yield "constraint " + c + ": no offer has the attribute '" + c.attribute() + "'";
            }
            case UNIQUE -> {
                Constraint c = p.takenUnique(offers[0].offer);
                yield "constraint " + c + ": " + (Constraint.HOSTNAME.equals(c.attribute())
                        ? "all " + values + (values == 1 ? " agent already runs one" : " agents already run one")
                        : "all " + values + " offered values of " + c.attribute() + " already have one");
            }
            case CPUS, MEM, DISK -> {
                Dim d = Dim.values()[cause.ordinal() - Cause.CPUS.ordinal()];
                long largest = 0;
                for (OfferState s : offers) {
                    largest = Math.max(largest, s.remaining(d));
                }
                yield "needs " + d.label + " " + d.format(p.need[d.ordinal()]) + ", largest offer " + d.format(largest);
            }
            case PORTS -> {
                int most = 0;
                for (OfferState s : offers) {
                    most = Math.max(most, s.freePorts());
                }
                yield "no ports left (needs " + ports(p) + ", the most any offer has free is " + most + ")";
            }
            case FITS -> "offers fit but the placement stopped"; // not reached: the placer would have used them
        };
    }

    private static String shortOf(DemandPlacer p, Dim d) {
        return "have too little " + d.label + " (needs " + d.format(p.need[d.ordinal()]) + ")";
    }

    private static String singular(String key, int n) {
        if (n != 1) {
            return key;
        }
        return key.replaceFirst("^have ", "has ").replaceFirst("^lack ", "lacks ");
    }

    /** How many ports an instance needs, saying when one of them is its executor's. */
    private static String ports(DemandPlacer p) {
        return p.demand.executorPort() ? p.needPorts + ", one of them for its executor" : Integer.toString(p.needPorts);
    }
}
