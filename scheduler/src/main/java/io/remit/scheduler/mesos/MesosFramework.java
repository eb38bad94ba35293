package io.remit.scheduler.mesos;

import io.remit.mesos.MediaType;
import io.remit.mesos.scheduler.SchedulerCalls;
import io.remit.mesos.scheduler.SchedulerClient;
import io.remit.mesos.scheduler.SchedulerConfig;
import io.remit.mesos.scheduler.SchedulerListener;
import io.remit.scheduler.state.FrameworkIdStore;
import io.remit.scheduler.engine.Cluster;
import io.remit.scheduler.engine.SchedulerEngine;
import io.remit.scheduler.placement.OfferView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mesos side of the scheduler: registers the framework (failing over with the FrameworkID
 * kept in etcd), turns events into engine inputs, acknowledges every update that carries a uuid
 * once the engine has applied and stored it, and carries out the engine's {@link Cluster} requests as scheduler calls.
 *
 * <p>Runs only on the leader. Events arrive on the client's one delivery thread; the engine
 * posts them to its own loop, so nothing here blocks it for long.
 */
public final class MesosFramework implements Cluster, SchedulerListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MesosFramework.class);

    private final MesosSettings settings;
    private final FrameworkIdStore frameworkIds;
    private final TaskInfoFactory taskInfos;
    private volatile SchedulerEngine engine;
    private final Map<String, Protos.Offer> offers = new ConcurrentHashMap<>();
    private volatile SchedulerClient client;

    public MesosFramework(MesosSettings settings, FrameworkIdStore frameworkIds, TaskInfoFactory taskInfos, SchedulerEngine engine) {
        this.settings = settings;
        this.frameworkIds = frameworkIds;
        this.taskInfos = taskInfos;
        this.engine = engine;
    }

    /** Connects the engine that receives this framework's events; call before {@link #start()}. */
    public void bind(SchedulerEngine engine) {
        this.engine = engine;
    }

    /** Subscribes, with the stored FrameworkID if there is one (failover), else as a new framework. */
    public void start() {
        Protos.FrameworkInfo.Builder info = Protos.FrameworkInfo.newBuilder()
                .setUser(settings.user)
                .setName(settings.frameworkName)
                .setCheckpoint(true)
                .setFailoverTimeout(settings.failoverTimeout.toMillis() / 1000.0)
                .setRole(settings.role)
                .addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        if (settings.principal != null) {
            info.setPrincipal(settings.principal);
        }
        storedFrameworkId().ifPresent(id -> {
            LOG.info("Failing over as framework {}", id);
            info.setId(Protos.FrameworkID.newBuilder().setValue(id));
        });
        SchedulerConfig.Builder config = SchedulerConfig.builder()
                .frameworkInfo(info.build())
                .mediaType("json".equalsIgnoreCase(settings.mediaType) ? MediaType.JSON : MediaType.PROTOBUF);
        settings.masters.forEach(config::master);
        if (settings.principal != null && settings.secret != null) {
            String basic = java.util.Base64.getEncoder().encodeToString(
                    (settings.principal + ":" + settings.secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            config.header("Authorization", "Basic " + basic);
        }
        client = new SchedulerClient(config.build(), this);
        client.start();
    }

    private Optional<String> storedFrameworkId() {
        return frameworkIds.get();
    }

    private static Protos.FrameworkInfo.Capability capability(Protos.FrameworkInfo.Capability.Type type) {
        return Protos.FrameworkInfo.Capability.newBuilder().setType(type).build();
    }

    /** The FrameworkID, once subscribed. */
    public Optional<String> frameworkId() {
        SchedulerClient c = client;
        return c == null ? Optional.empty() : c.frameworkId().map(Protos.FrameworkID::getValue);
    }

    // ---------------------------------------------------------------- events

    @Override
    public void received(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> {
                String id = event.getSubscribed().getFrameworkId().getValue();
                frameworkIds.put(id);
                LOG.info("Subscribed as framework {}", id);
                offers.clear();
                engine.subscribed();
            }
            case OFFERS -> {
                List<OfferView> views = new ArrayList<>();
                for (Protos.Offer offer : event.getOffers().getOffersList()) {
                    offers.put(offer.getId().getValue(), offer);
                    views.add(Offers.view(offer));
                }
                engine.offers(views);
            }
            case RESCIND -> {
                if (offers.remove(event.getRescind().getOfferId().getValue()) != null) {
                    engine.rescinded(event.getRescind().getOfferId().getValue());
                }
            }
            case UPDATE -> {
                Protos.TaskStatus status = event.getUpdate().getStatus();
                // Acknowledged only once the engine applied it and etcd has what it changed: an
                // acknowledged update is never sent again, so one lost before it was stored would
                // be lost for good. Not acknowledged, the agent sends it again (see update()).
                engine.update(Statuses.update(status)).whenComplete((applied, failure) -> {
                    if (failure != null) {
                        LOG.warn("Not acknowledging {} of task {}: {}; Mesos will send it again", status.getState(),
                                status.getTaskId().getValue(), failure.toString());
                    } else if (status.hasUuid() && !status.getUuid().isEmpty()) {
                        send(SchedulerCalls.acknowledge(status.getAgentId(), status.getTaskId(), status.getUuid()));
                    }
                });
            }
            case FAILURE -> LOG.warn("Mesos reports a failure: {}", event.getFailure());
            case ERROR -> LOG.error("Mesos says: {}", event.getError().getMessage());
            default -> { }
        }
    }

    @Override
    public void disconnected(String reason, boolean resubscribing) {
        LOG.warn("Disconnected from Mesos: {}{}", reason, resubscribing ? "; resubscribing" : "");
        offers.clear();
        engine.disconnected();
    }

    // ---------------------------------------------------------------- Cluster

    @Override
    public void launch(String offerId, List<PlannedLaunch> launches) {
        Protos.Offer offer = offers.remove(offerId);
        if (offer == null) {
            LOG.warn("Offer {} is gone; the launch will come back as TASK_LOST", offerId);
        }
        List<Protos.TaskInfo> infos = new ArrayList<>();
        for (PlannedLaunch p : launches) {
            infos.add(taskInfos.build(p, offer));
        }
        send(SchedulerCalls.accept(List.of(Protos.OfferID.newBuilder().setValue(offerId).build()),
                List.of(Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH)
                        .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addAllTaskInfos(infos)).build()),
                Duration.ofSeconds(5)));
    }

    @Override
    public void decline(Collection<String> offerIds, Duration refuse) {
        List<Protos.OfferID> ids = new ArrayList<>();
        for (String id : offerIds) {
            offers.remove(id);
            ids.add(Protos.OfferID.newBuilder().setValue(id).build());
        }
        if (!ids.isEmpty()) {
            sendInOrder(SchedulerCalls.decline(ids, refuse));
        }
    }

    @Override
    public void kill(String taskId, String agentId) {
        send(SchedulerCalls.kill(Protos.TaskID.newBuilder().setValue(taskId).build(),
                agentId == null ? null : Protos.AgentID.newBuilder().setValue(agentId).build()));
    }

    @Override
    public void revive() {
        sendInOrder(SchedulerCalls.revive());
    }

    @Override
    public void suppress() {
        sendInOrder(SchedulerCalls.suppress());
    }

    @Override
    public void reconcile(Map<String, String> tasks) {
        List<Call.Reconcile.Task> list = new ArrayList<>();
        tasks.forEach((taskId, agentId) -> list.add(SchedulerCalls.reconcileTask(
                Protos.TaskID.newBuilder().setValue(taskId).build(),
                agentId == null ? null : Protos.AgentID.newBuilder().setValue(agentId).build())));
        send(SchedulerCalls.reconcile(list));
    }

    /** The last of the calls that must stay in order (see {@link #sendInOrder}). */
    private CompletableFuture<Void> offerCalls = CompletableFuture.completedFuture(null);

    private void send(Call call) {
        sendNow(call);
    }

    private CompletableFuture<Void> sendNow(Call call) {
        SchedulerClient c = client;
        if (c == null) {
            return CompletableFuture.completedFuture(null);
        }
        return c.send(call).exceptionally(e -> {
            LOG.warn("{} failed: {}", call.getType(), e.getMessage());
            return null;
        });
    }

    /**
     * REVIVE, SUPPRESS and DECLINE set the master's offer filters, so they must reach it in the
     * order they were decided: each is sent once the one before it was answered. Sent at once, a
     * SUPPRESS and the REVIVE right after it can overtake each other on separate connections,
     * leaving the framework suppressed while the engine waits for offers (seen with 200 services
     * created in a burst). Real Mesos's scheduler library keeps calls in order on one connection.
     */
    private synchronized void sendInOrder(Call call) {
        offerCalls = offerCalls.thenCompose(previous -> sendNow(call));
    }

    @Override
    public void close() {
        SchedulerClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
