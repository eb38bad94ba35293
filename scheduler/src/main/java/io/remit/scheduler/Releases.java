package io.remit.scheduler;

import com.fasterxml.jackson.databind.node.NullNode;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.release.Deployment;
import io.remit.scheduler.release.DeploymentRunner;
import io.remit.scheduler.release.Deployments;
import io.remit.scheduler.release.RecordStore;
import io.remit.scheduler.release.analysis.AnalysisValidator;
import io.remit.scheduler.release.analysis.CanaryJudge;
import io.remit.scheduler.release.analysis.Cohorts;
import io.remit.scheduler.release.analysis.Verdict;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.SpecCodec;
import io.remit.scheduler.state.SpecStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/** How the scheduler application wires the releases: where old specs are found, who judges a canary. */
final class Releases {

    private Releases() {}

    /** The service's revisions' specs, newest first. */
    static DeploymentRunner.SpecHistory history(SpecStore specs) {
        return service -> specs.revisions(service).stream().map(io.remit.scheduler.state.Revision::spec).toList();
    }

    /**
     * The canary's judge: the spec's {@code deployment.analysis}, through Prometheus (the
     * scheduler's {@code prometheus.url}); the verdict goes into the deployment as it is.
     */
    static Deployments.Judge judge(SchedulerConfiguration config, java.util.function.Function<String, ServiceSpec> spec) {
        CanaryJudge judge = new CanaryJudge(config.prometheus.query());
        return new Deployments.Judge() {
            @Override
            public Deployments.Judgement judge(Deployment d, List<String> baseline, List<String> canary, Instant from,
                                               Instant to) {
                return decide(d, baseline, canary, from, to, from, to);
            }

            @Override
            public Deployments.Judgement judgeSwitch(Deployment d, List<String> old, List<String> current,
                                                     Instant switchedAt, Instant to) {
                return decide(d, old, current, switchedAt.minus(Duration.between(switchedAt, to)), switchedAt, switchedAt, to);
            }

            private Deployments.Judgement decide(Deployment d, List<String> baseline, List<String> canary,
                                                 Instant baselineFrom, Instant baselineTo, Instant from, Instant to) {
                ServiceSpec s = spec.apply(d.service());
                AnalysisValidator.Result bound = s == null ? null
                        : AnalysisValidator.bind(s.deployment().analysis(), "deployment.analysis");
                if (bound == null || bound.spec() == null) {
                    return new Deployments.Judgement(Deployments.Judgement.Outcome.INCONCLUSIVE,
                            "the spec's analysis cannot be read", NullNode.getInstance());
                }
                if (baseline.isEmpty() || canary.isEmpty()) {
                    return new Deployments.Judgement(Deployments.Judgement.Outcome.INCONCLUSIVE,
                            "no " + (baseline.isEmpty() ? "old" : "new") + " instances to compare", NullNode.getInstance());
                }
                Verdict v = judge.judge(bound.spec(), new Cohorts(d.service(), new HashSet<>(baseline), new HashSet<>(canary)),
                        baselineFrom, baselineTo, from, to);
                com.fasterxml.jackson.databind.node.ObjectNode detail = RecordStore.JSON.valueToTree(v);
                if (!baselineFrom.equals(from)) {
                    detail.put("baselineFrom", baselineFrom.toString());
                    detail.put("baselineTo", baselineTo.toString());
                }
                return new Deployments.Judgement(Deployments.Judgement.Outcome.valueOf(v.outcome().name()), v.reason(), detail);
            }
        };
    }
}
