package io.remit.scheduler;

import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;

/** Small valid specs for tests. */
public final class TestSpecs {

    private TestSpecs() {
    }

    /** {@code id} with {@code instances} of 0.1 cpus, 128 MB and ports http and admin. */
    public static ServiceSpec spec(String id, int instances) {
        try {
            return SpecParser.parseJson("""
                    {"id":"%s","version":"1.0.0","artifacts":["{{artifacts}}/svc.jar"],"instances":%d,
                     "resources":{"cpus":0.1,"memMb":128,"diskMb":0,"ports":["http","admin"]}}""".formatted(id, instances));
        } catch (InvalidSpecException e) {
            throw new AssertionError(e);
        }
    }
}
