package io.remit.scheduler.release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A release as the API and the event stream show it: no spec, so no secret. */
public final class ReleaseView {

    private ReleaseView() {}

    public static Map<String, Object> of(Release r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("state", r.state().text());
        m.put("reason", r.reason());
        m.put("message", r.message());
        m.put("createdBy", r.createdBy());
        m.put("createdAt", String.valueOf(r.createdAt()));
        m.put("updatedAt", String.valueOf(r.updatedAt()));
        if (r.finishedAt() != null) {
            m.put("finishedAt", r.finishedAt().toString());
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        for (int i = 0; i < r.changes().size(); i++) {
            Release.Change c = r.changes().get(i);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("order", i + 1);
            x.put("service", c.service());
            x.put("version", c.version());
            x.put("fromVersion", c.fromVersion());
            x.put("step", c.step().text());
            x.put("deployment", c.deploymentId());
            x.put("note", c.note());
            changes.add(x);
        }
        m.put("changes", changes);
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
