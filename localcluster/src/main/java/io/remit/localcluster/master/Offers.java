package io.remit.localcluster.master;

import io.remit.localcluster.resources.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The allocator and the book of outstanding offers. Called only under the master's lock.
 *
 * <p>Each round offers every agent's unallocated resources, whole, to one framework: among the
 * connected, unsuppressed frameworks whose filters do not refuse them, the one with the lowest
 * dominant share of the cluster (as Mesos's DRF allocator does), the oldest on a tie.
 */
final class Offers {

    /** Below both of these an agent's leftovers are not worth offering (Mesos's own minimums). */
    private static final double MIN_CPUS = 0.01;
    private static final double MIN_MEM = 32;

    private final Master master;

    Offers(Master master) {
        this.master = master;
    }

    void allocate(Instant now) {
        List<FrameworkState> candidates = new ArrayList<>();
        for (FrameworkState fw : master.frameworks.values()) {
            if (fw.connected() && !fw.suppressed) {
                candidates.add(fw);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        Resources cluster = Resources.EMPTY;
        for (AgentState agent : master.agents.values()) {
            cluster = cluster.plus(agent.total);
        }
        Map<String, Resources> allocatedTo = new HashMap<>();
        for (FrameworkState fw : candidates) {
            allocatedTo.put(fw.id.getValue(), fw.usedResources().plus(fw.offeredResources()));
        }
        Map<FrameworkState, List<Protos.Offer>> batch = new HashMap<>();
        for (AgentState agent : master.agents.values()) {
            Resources available = agent.handle.offerable(agent.available());
            if (available.scalar("cpus") < MIN_CPUS && available.scalar("mem") < MIN_MEM) {
                continue;
            }
            FrameworkState chosen = null;
            double chosenShare = Double.MAX_VALUE;
            for (FrameworkState fw : candidates) {
                if (refuses(fw, agent.id, available, now)) {
                    continue;
                }
                double share = dominantShare(allocatedTo.get(fw.id.getValue()), cluster);
                if (share < chosenShare) {
                    chosen = fw;
                    chosenShare = share;
                }
            }
            if (chosen == null) {
                continue;
            }
            OfferState offer = new OfferState(master.newOfferId(), chosen.id.getValue(), agent.id, available);
            master.offers().put(offer.id(), offer);
            chosen.offers.put(offer.id(), offer);
            agent.allocated = agent.allocated.plus(available);
            allocatedTo.merge(chosen.id.getValue(), available, Resources::plus);
            batch.computeIfAbsent(chosen, k -> new ArrayList<>()).add(toProto(offer, chosen, agent));
        }
        batch.forEach((fw, list) -> master.send(fw, Event.newBuilder().setType(Event.Type.OFFERS)
                .setOffers(Event.Offers.newBuilder().addAllOffers(list)).build()));
    }

    private static boolean refuses(FrameworkState fw, String agentId, Resources available, Instant now) {
        FrameworkState.OfferFilter filter = fw.filters.get(agentId);
        if (filter == null) {
            return false;
        }
        if (!now.isBefore(filter.until())) {
            fw.filters.remove(agentId);
            return false;
        }
        return filter.refused().contains(available);
    }

    private static double dominantShare(Resources allocated, Resources cluster) {
        double share = 0;
        for (Map.Entry<String, Double> e : allocated.scalars().entrySet()) {
            double total = cluster.scalar(e.getKey());
            if (total > 0) {
                share = Math.max(share, e.getValue() / total);
            }
        }
        return share;
    }

    private Protos.Offer toProto(OfferState offer, FrameworkState fw, AgentState agent) {
        String role = fw.multiRole() ? fw.role() : null;
        Protos.AgentInfo info = agent.info;
        Protos.Offer.Builder b = Protos.Offer.newBuilder()
                .setId(OfferID.newBuilder().setValue(offer.id()))
                .setFrameworkId(fw.id)
                .setAgentId(info.getId())
                .setHostname(info.getHostname())
                .setUrl(Protos.URL.newBuilder()
                        .setScheme("http")
                        .setAddress(Protos.Address.newBuilder()
                                .setHostname(info.getHostname())
                                .setIp(info.getHostname())
                                .setPort(info.getPort()))
                        .setPath("/slave(1)"))
                .addAllResources(offer.resources().toProto(role))
                .addAllAttributes(info.getAttributesList());
        if (role != null) {
            b.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role));
        }
        return b.build();
    }

    /**
     * Takes the offers an ACCEPT names out of the book. On success every one was outstanding,
     * for this framework and on one agent; otherwise the reason, and the valid ones were
     * returned to the pool already.
     */
    Taken take(FrameworkState fw, List<OfferID> ids) {
        List<OfferState> valid = new ArrayList<>();
        String error = null;
        Set<String> seen = new LinkedHashSet<>();
        for (OfferID id : ids) {
            if (!seen.add(id.getValue())) {
                error = "Duplicate offer " + id.getValue() + " in ACCEPT";
                continue;
            }
            OfferState offer = master.offers().get(id.getValue());
            if (offer == null || !offer.frameworkId().equals(fw.id.getValue())) {
                error = "Offer " + id.getValue() + " is no longer valid";
                continue;
            }
            if (!valid.isEmpty() && !valid.get(0).agentId().equals(offer.agentId())) {
                error = "Aggregated offers must belong to one single agent. Offer " + id.getValue()
                        + " uses agent " + offer.agentId() + " and offer " + valid.get(0).id() + " uses agent "
                        + valid.get(0).agentId();
            }
            valid.add(offer);
            remove(offer);
        }
        if (ids.isEmpty()) {
            error = "No offers specified";
        }
        if (error != null) {
            for (OfferState offer : valid) {
                release(offer.agentId(), offer.resources());
            }
            return new Taken(List.of(), Resources.EMPTY, error);
        }
        Resources total = Resources.EMPTY;
        for (OfferState o : valid) {
            total = total.plus(o.resources());
        }
        return new Taken(valid, total, null);
    }

    record Taken(List<OfferState> offers, Resources resources, String error) {
        String agentId() {
            return offers.get(0).agentId();
        }
    }

    void decline(FrameworkState fw, List<OfferID> ids, Filters filters) {
        for (OfferID id : ids) {
            OfferState offer = master.offers().get(id.getValue());
            if (offer != null && offer.frameworkId().equals(fw.id.getValue())) {
                remove(offer);
                recover(fw, offer.agentId(), offer.resources(), filters);
            }
        }
    }

    /** Returns unused resources to the pool, refusing them to {@code fw} as the filters say. */
    void recover(FrameworkState fw, String agentId, Resources unused, Filters filters) {
        release(agentId, unused);
        Duration refuse = filters != null && filters.hasRefuseSeconds()
                ? Duration.ofMillis((long) (filters.getRefuseSeconds() * 1000))
                : master.config.defaultRefuse();
        if (!refuse.isZero() && !refuse.isNegative() && !unused.isEmpty()) {
            Instant until = master.clock.instant().plus(refuse);
            FrameworkState.OfferFilter old = fw.filters.get(agentId);
            Resources refused = old != null && master.clock.instant().isBefore(old.until()) ? old.refused().plus(unused) : unused;
            fw.filters.put(agentId, new FrameworkState.OfferFilter(refused, until));
        }
    }

    /** Rescinds every outstanding offer on an agent, telling each framework. */
    void rescindAll(String agentId) {
        for (OfferState offer : new ArrayList<>(master.offers().values())) {
            if (offer.agentId().equals(agentId)) {
                remove(offer);
                FrameworkState fw = master.frameworks.get(offer.frameworkId());
                if (fw != null) {
                    master.send(fw, rescind(offer));
                }
            }
        }
    }

    /** Withdraws a framework's offers (it disconnected or failed over). */
    void rescindFramework(FrameworkState fw, boolean tell) {
        for (OfferState offer : new ArrayList<>(fw.offers.values())) {
            remove(offer);
            release(offer.agentId(), offer.resources());
            if (tell) {
                master.send(fw, rescind(offer));
            }
        }
    }

    private static Event rescind(OfferState offer) {
        return Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(OfferID.newBuilder().setValue(offer.id()))).build();
    }

    private void remove(OfferState offer) {
        master.offers().remove(offer.id());
        FrameworkState fw = master.frameworks.get(offer.frameworkId());
        if (fw != null) {
            fw.offers.remove(offer.id());
        }
    }

    private void release(String agentId, Resources resources) {
        AgentState agent = master.agents.get(agentId);
        if (agent != null && !resources.isEmpty()) {
            agent.allocated = agent.allocated.minus(resources);
        }
    }
}
