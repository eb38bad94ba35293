package io.remit.bench;

import com.netflix.fenzo.ConstraintEvaluator;
import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskAssignmentResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.VMAssignmentResult;
import com.netflix.fenzo.VMTaskFitnessCalculator;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.functions.Action2;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.Protos;

/**
 * Netflix Fenzo's {@link TaskScheduler} with its CPU-and-memory bin packer, stopping its search
 * for a task at the first host whose fitness reaches {@code goodEnough}. Leases as Fenzo expects
 * them: the first round offers every host; Fenzo keeps the leases it did not use (they do not
 * expire here); a lease it used is gone, so after each round every task it placed is reported to
 * its task assigner and each host it used is offered again with what is left on it.
 */
final class FenzoPacker implements PackingPlacer {

    private final double goodEnough;
    private final AtomicInteger rejected = new AtomicInteger();
    private TaskScheduler scheduler;
    private Action2<TaskRequest, String> assigner;
    private List<VirtualMachineLease> newLeases = new ArrayList<>();
    private final Map<Integer, FenzoTask> requests = new HashMap<>();
    private long leaseSerial;
    private long coreNanos;

    FenzoPacker(double goodEnough) {
        this.goodEnough = goodEnough;
    }

    @Override
    public String name() {
        return "Fenzo cpuMemBinPacker, good enough " + goodEnough;
    }

    @Override
    public void start(HostLedger ledger) {
        scheduler = new TaskScheduler.Builder()
                .withFitnessCalculator(BinPackingFitnessCalculators.cpuMemBinPacker)
                .withFitnessGoodEnoughFunction(fitness -> fitness >= goodEnough)
                .withLeaseOfferExpirySecs(10_000_000)
                .withLeaseRejectAction(lease -> rejected.incrementAndGet())
                .build();
        assigner = scheduler.getTaskAssigner();
        for (int h = 0; h < ledger.hosts(); h++) {
            newLeases.add(lease(h, ledger));
        }
    }

    @Override
    public List<PackingAssignment> place(List<PackingTask> round) {
        requests.clear();
        List<TaskRequest> asked = new ArrayList<>(round.size());
        for (PackingTask t : round) {
            FenzoTask request = new FenzoTask(t);
            requests.put(t.id(), request);
            asked.add(request);
        }
        long start = System.nanoTime();
        SchedulingResult result = scheduler.scheduleOnce(asked, newLeases);
        coreNanos = System.nanoTime() - start;
        if (!result.getExceptions().isEmpty()) {
            throw new IllegalStateException("Fenzo failed a round", result.getExceptions().get(0));
        }
        if (rejected.get() > 0) {
            throw new IllegalStateException("Fenzo rejected " + rejected.get() + " leases; none should expire");
        }
        newLeases = new ArrayList<>();
        List<PackingAssignment> out = new ArrayList<>(round.size());
        for (VMAssignmentResult vm : result.getResultMap().values()) {
            int host = Integer.parseInt(vm.getHostname().substring("host-".length()));
            for (TaskAssignmentResult t : vm.getTasksAssigned()) {
                out.add(new PackingAssignment(((FenzoTask) t.getRequest()).task, host, t.getAssignedPorts()));
            }
        }
        return out;
    }

    @Override
    public void launched(List<PackingAssignment> assignments, HostLedger ledger) {
        BitSet used = new BitSet(ledger.hosts());
        for (PackingAssignment a : assignments) {
            assigner.call(requests.get(a.task().id()), "host-" + a.host());
            used.set(a.host());
        }
        for (int h = used.nextSetBit(0); h >= 0; h = used.nextSetBit(h + 1)) {
            if (ledger.hasRoom(h)) {
                newLeases.add(lease(h, ledger));
            }
        }
    }

    @Override
    public long lastCoreNanos() {
        return coreNanos;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdown();
        }
    }

    private VirtualMachineLease lease(int host, HostLedger ledger) {
        List<VirtualMachineLease.Range> ranges = new ArrayList<>();
        List<Integer> free = ledger.freePorts(host);
        int i = 0;
        while (i < free.size()) {
            int j = i;
            while (j + 1 < free.size() && free.get(j + 1) == free.get(j) + 1) {
                j++;
            }
            ranges.add(new VirtualMachineLease.Range(free.get(i), free.get(j)));
            i = j + 1;
        }
        return new HostLease("lease-" + leaseSerial++, System.currentTimeMillis(), host, ledger.freeCpus(host),
                ledger.freeMemMb(host), ranges);
    }

    /** A host's free resources as a Fenzo lease (it expires leases by their offer time). */
    private record HostLease(String id, long offeredAt, int host, double cpus, double mem, List<Range> ports)
            implements VirtualMachineLease {

        @Override
        public String getId() {
            return id;
        }

        @Override
        public long getOfferedTime() {
            return offeredAt;
        }

        @Override
        public String hostname() {
            return "host-" + host;
        }

        @Override
        public String getVMID() {
            return "agent-" + host;
        }

        @Override
        public double cpuCores() {
            return cpus;
        }

        @Override
        public double memoryMB() {
            return mem;
        }

        @Override
        public double networkMbps() {
            return 0;
        }

        @Override
        public double diskMB() {
            return 0;
        }

        @Override
        public List<Range> portRanges() {
            return ports;
        }

        @Override
        public Protos.Offer getOffer() {
            return Protos.Offer.newBuilder()
                    .setId(Protos.OfferID.newBuilder().setValue(id))
                    .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("bench"))
                    .setSlaveId(Protos.SlaveID.newBuilder().setValue(getVMID()))
                    .setHostname(hostname())
                    .build();
        }

        @Override
        public Map<String, Protos.Attribute> getAttributeMap() {
            return Collections.emptyMap();
        }

        @Override
        public Double getScalarValue(String name) {
            return null;
        }

        @Override
        public Map<String, Double> getScalarValues() {
            return Collections.emptyMap();
        }
    }

    /** One workload task as a Fenzo task request. */
    private static final class FenzoTask implements TaskRequest {

        final PackingTask task;
        private final String id;
        private AssignedResources assigned;

        FenzoTask(PackingTask task) {
            this.task = task;
            this.id = "task-" + task.id();
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String taskGroupName() {
            return "";
        }

        @Override
        public double getCPUs() {
            return task.cpus();
        }

        @Override
        public double getMemory() {
            return task.memMb();
        }

        @Override
        public double getNetworkMbps() {
            return 0;
        }

        @Override
        public double getDisk() {
            return 0;
        }

        @Override
        public int getPorts() {
            return task.ports();
        }

        @Override
        public Map<String, Double> getScalarRequests() {
            return Collections.emptyMap();
        }

        @Override
        public Map<String, NamedResourceSetRequest> getCustomNamedResources() {
            return Collections.emptyMap();
        }

        @Override
        public List<? extends ConstraintEvaluator> getHardConstraints() {
            return List.of();
        }

        @Override
        public List<? extends VMTaskFitnessCalculator> getSoftConstraints() {
            return List.of();
        }

        @Override
        public void setAssignedResources(AssignedResources assignedResources) {
            assigned = assignedResources;
        }

        @Override
        public AssignedResources getAssignedResources() {
            return assigned;
        }
    }
}
