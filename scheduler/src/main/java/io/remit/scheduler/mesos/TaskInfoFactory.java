package io.remit.scheduler.mesos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.remit.scheduler.engine.Cluster.PlannedLaunch;
import io.remit.scheduler.spec.EnvValue;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.Templates;
import io.remit.scheduler.state.TaskRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;

/**
 * Builds the Mesos TaskInfo for an instance: the Remit executor (fetched by the agent with the
 * service's artifacts), the instance's resources with the ports placement chose, and the launch
 * spec the executor reads from {@code TaskInfo.data} (schema: {@code executors/README.md}).
 */
public final class TaskInfoFactory {

    /** Where agents fetch artifacts from, and what the executor needs to know of etcd. */
    public record Settings(URI artifactsBase, String executorJar, List<String> etcdEndpoints, String etcdUser,
                           String etcdPassword, double executorCpus, int executorMemMb, Duration drainGrace) {
    }

    private final Settings settings;
    private final ObjectMapper mapper = new ObjectMapper();

    public TaskInfoFactory(Settings settings) {
        this.settings = settings;
    }

    public Protos.TaskInfo build(PlannedLaunch launch, Protos.Offer offer) {
        TaskRecord r = launch.record();
        ServiceSpec spec = launch.spec();
        Protos.AgentID agentId = offer != null ? offer.getAgentId() : Protos.AgentID.newBuilder().setValue(r.agentId()).build();
        Protos.CommandInfo.Builder command = Protos.CommandInfo.newBuilder()
                .setShell(true)
                .setValue("exec java -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar " + settings.executorJar())
                .addUris(Protos.CommandInfo.URI.newBuilder()
                        .setValue(settings.artifactsBase() + "/" + settings.executorJar()).setExtract(false).setCache(false));
        for (String artifact : spec.artifacts()) {
            command.addUris(Protos.CommandInfo.URI.newBuilder()
                    .setValue(Templates.resolveArtifact(artifact, settings.artifactsBase()).toString()).setExtract(false));
        }
        Protos.ExecutorInfo executor = Protos.ExecutorInfo.newBuilder()
                .setType(Protos.ExecutorInfo.Type.CUSTOM)
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue("remit-executor." + r.taskId()))
                .setName("Remit executor for " + r.taskId())
                .setCommand(command)
                .addResources(scalar("cpus", settings.executorCpus()))
                .addResources(scalar("mem", settings.executorMemMb()))
                .build();
        Protos.TaskInfo.Builder task = Protos.TaskInfo.newBuilder()
                .setName(spec.id())
                .setTaskId(Protos.TaskID.newBuilder().setValue(r.taskId()))
                .setAgentId(agentId)
                .addResources(scalar("cpus", spec.resources().cpus()))
                .addResources(scalar("mem", spec.resources().memMb()))
                .setExecutor(executor)
                .setData(ByteString.copyFrom(launchSpec(r, spec).getBytes(StandardCharsets.UTF_8)))
                .setLabels(Protos.Labels.newBuilder()
                        .addLabels(label("remit.service", spec.id()))
                        .addLabels(label("remit.version", spec.version())));
        if (spec.resources().diskMb() > 0) {
            task.addResources(scalar("disk", spec.resources().diskMb()));
        }
        if (!r.ports().isEmpty()) {
            Protos.Value.Ranges.Builder ranges = Protos.Value.Ranges.newBuilder();
            Protos.Ports.Builder discoveryPorts = Protos.Ports.newBuilder();
            r.ports().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
                ranges.addRange(Protos.Value.Range.newBuilder().setBegin(e.getValue()).setEnd(e.getValue()));
                discoveryPorts.addPorts(Protos.Port.newBuilder().setNumber(e.getValue()).setName(e.getKey()).setProtocol("tcp"));
            });
            task.addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES)
                    .setRanges(ranges));
            task.setDiscovery(Protos.DiscoveryInfo.newBuilder()
                    .setVisibility(Protos.DiscoveryInfo.Visibility.FRAMEWORK)
                    .setName(spec.id()).setVersion(spec.version()).setPorts(discoveryPorts));
        }
        spec.labels().forEach((k, v) -> task.getLabelsBuilder().addLabels(label(k, v)));
        return task.build();
    }

    /** The executor's input, as JSON (see executors/README.md). */
    String launchSpec(TaskRecord r, ServiceSpec spec) {
        ObjectNode n = mapper.createObjectNode();
        n.put("serviceId", spec.id());
        n.put("version", spec.version());
        n.put("instanceId", r.taskId());
        String first = spec.artifacts().isEmpty() ? "" : spec.artifacts().get(0);
        n.put("artifact", first.substring(first.lastIndexOf('/') + 1));
        n.put("configTemplate", spec.config());
        ObjectNode ports = n.putObject("ports");
        r.ports().forEach(ports::put);
        n.put("memMb", spec.resources().memMb());
        ArrayNode jvm = n.putArray("jvmOptions");
        spec.jvmOptions().forEach(jvm::add);
        ObjectNode env = n.putObject("env");
        for (Map.Entry<String, EnvValue> e : spec.env().entrySet()) {
            env.put(e.getKey(), e.getValue().value());
        }
        ObjectNode health = n.putObject("healthCheck");
        health.put("path", spec.healthCheck().path());
        health.put("interval", spec.healthCheck().interval().toString());
        health.put("timeout", spec.healthCheck().timeout().toString());
        health.put("gracePeriod", spec.healthCheck().gracePeriod().toString());
        health.put("consecutiveFailures", spec.healthCheck().consecutiveFailures());
        ObjectNode etcd = n.putObject("etcd");
        ArrayNode endpoints = etcd.putArray("endpoints");
        settings.etcdEndpoints().forEach(endpoints::add);
        if (settings.etcdUser() != null) {
            etcd.put("user", settings.etcdUser());
            etcd.put("password", settings.etcdPassword());
        }
        n.put("drainGrace", settings.drainGrace().toString());
        return n.toString();
    }

    private static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static Protos.Label label(String key, String value) {
        return Protos.Label.newBuilder().setKey(key).setValue(value == null ? "" : value).build();
    }
}
