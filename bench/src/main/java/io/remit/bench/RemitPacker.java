package io.remit.bench;

import io.remit.scheduler.placement.Demand;
import io.remit.scheduler.placement.Launch;
import io.remit.scheduler.placement.OfferView;
import io.remit.scheduler.placement.Placement;
import io.remit.scheduler.placement.PlacementResult;
import io.remit.scheduler.placement.PortRange;
import io.remit.scheduler.spec.Resources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remit's {@link Placement#place} as the scheduler meets it. Each task shape is a service whose
 * demand is scaled up by the round's count of that shape (no constraints, equal priority, no
 * executor port or executor resources); each host with room is one offer of its current free
 * CPUs, memory and ports (the free ports as ranges). An offer is rebuilt only for a host whose
 * free resources changed, as a framework holding offers would see a new one only for those.
 */
final class RemitPacker implements PackingPlacer {

    private OfferView[] offers;
    private final Map<String, Integer> hostOfOffer = new HashMap<>();
    private int offerSerial;
    private long coreNanos;

    @Override
    public String name() {
        return "Remit Placement";
    }

    @Override
    public void start(HostLedger ledger) {
        offers = new OfferView[ledger.hosts()];
        for (int h = 0; h < offers.length; h++) {
            refresh(h, ledger);
        }
    }

    @Override
    public List<PackingAssignment> place(List<PackingTask> round) {
        Map<String, ArrayDeque<PackingTask>> byShape = new LinkedHashMap<>();
        for (PackingTask t : round) {
            byShape.computeIfAbsent(serviceOf(t), k -> new ArrayDeque<>()).add(t);
        }
        List<Demand> demands = new ArrayList<>(byShape.size());
        for (Map.Entry<String, ArrayDeque<PackingTask>> e : byShape.entrySet()) {
            PackingTask shape = e.getValue().peek();
            List<String> portNames = new ArrayList<>(shape.ports());
            for (int i = 0; i < shape.ports(); i++) {
                portNames.add("p" + i);
            }
            demands.add(new Demand(e.getKey(), new Resources(shape.cpus(), shape.memMb(), 0, portNames),
                    List.of(), e.getValue().size(), 0));
        }
        List<OfferView> offered = new ArrayList<>(offers.length);
        for (OfferView o : offers) {
            if (o != null) {
                offered.add(o);
            }
        }
        long start = System.nanoTime();
        PlacementResult result = Placement.place(offered, demands, List.of());
        coreNanos = System.nanoTime() - start;
        List<PackingAssignment> out = new ArrayList<>(result.launchCount());
        for (Map.Entry<String, List<Launch>> e : result.launches().entrySet()) {
            int host = hostOfOffer.get(e.getKey());
            for (Launch launch : e.getValue()) {
                PackingTask task = byShape.get(launch.serviceId()).poll();
                out.add(new PackingAssignment(task, host, new ArrayList<>(launch.ports().values())));
            }
        }
        return out;
    }

    @Override
    public void launched(List<PackingAssignment> assignments, HostLedger ledger) {
        java.util.BitSet touched = new java.util.BitSet(offers.length);
        for (PackingAssignment a : assignments) {
            touched.set(a.host());
        }
        for (int h = touched.nextSetBit(0); h >= 0; h = touched.nextSetBit(h + 1)) {
            if (offers[h] != null) {
                hostOfOffer.remove(offers[h].offerId());
            }
            refresh(h, ledger);
        }
    }

    @Override
    public long lastCoreNanos() {
        return coreNanos;
    }

    private void refresh(int host, HostLedger ledger) {
        if (!ledger.hasRoom(host)) {
            offers[host] = null;
            return;
        }
        String offerId = "offer-" + offerSerial++;
        String name = "host-" + host;
        offers[host] = new OfferView(offerId, "agent-" + host, name, Map.of(), ledger.freeCpus(host),
                ledger.freeMemMb(host), 0, ranges(ledger.freePorts(host)));
        hostOfOffer.put(offerId, host);
    }

    private static List<PortRange> ranges(List<Integer> ports) {
        List<PortRange> ranges = new ArrayList<>();
        int i = 0;
        while (i < ports.size()) {
            int j = i;
            while (j + 1 < ports.size() && ports.get(j + 1) == ports.get(j) + 1) {
                j++;
            }
            ranges.add(new PortRange(ports.get(i), ports.get(j)));
            i = j + 1;
        }
        return ranges;
    }

    private static String serviceOf(PackingTask t) {
        return "shape-" + t.cpus() + "cpu-" + t.memMb() + "mb-" + t.ports() + "p";
    }
}
