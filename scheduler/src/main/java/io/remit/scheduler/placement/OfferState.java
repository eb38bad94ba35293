package io.remit.scheduler.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is left of one offer during a placement round. Mutable, confined to one
 * {@link Placement#place} call. Ports are handed out lowest first and never twice.
 */
final class OfferState {

    final int index;
    final OfferView offer;
    private final long[] remaining = new long[Dim.values().length];
    private final int[] begins;
    private final int[] ends;
    private int range;
    private int nextPort;
    private int freePorts;
    final List<Launch> launches = new ArrayList<>(4);

    OfferState(int index, OfferView offer) {
        this.index = index;
        this.offer = offer;
        remaining[Dim.CPUS.ordinal()] = Dim.milliCpusOffered(offer.cpus());
        remaining[Dim.MEM.ordinal()] = Math.max(0, offer.memMb());
        remaining[Dim.DISK.ordinal()] = Math.max(0, offer.diskMb());
        List<PortRange> sorted = new ArrayList<>(offer.ports());
        sorted.sort(Comparator.comparingInt(PortRange::begin));
        List<int[]> merged = new ArrayList<>();
        for (PortRange r : sorted) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r.begin() <= last[1] + 1) {
                last[1] = Math.max(last[1], r.end());
            } else {
                merged.add(new int[] {r.begin(), r.end()});
            }
        }
        begins = new int[merged.size()];
        ends = new int[merged.size()];
        for (int i = 0; i < merged.size(); i++) {
            begins[i] = merged.get(i)[0];
            ends[i] = merged.get(i)[1];
            freePorts += ends[i] - begins[i] + 1;
        }
        nextPort = begins.length == 0 ? 0 : begins[0];
    }

    long remaining(Dim d) {
        return remaining[d.ordinal()];
    }

    int freePorts() {
        return freePorts;
    }

    boolean fits(long[] need, int ports) {
        return remaining[0] >= need[0] && remaining[1] >= need[1] && remaining[2] >= need[2] && freePorts >= ports;
    }

    /** Takes the resources and the lowest free ports; the caller has checked {@link #fits}. */
    Map<String, Integer> take(long[] need, List<String> portNames) {
        for (int i = 0; i < remaining.length; i++) {
            remaining[i] -= need[i];
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : portNames) {
            while (nextPort > ends[range]) {
                range++;
                nextPort = begins[range];
            }
            ports.put(name, nextPort++);
            freePorts--;
        }
        return ports;
    }
}
