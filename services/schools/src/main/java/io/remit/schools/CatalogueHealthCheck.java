package io.remit.schools;

import com.codahale.metrics.health.HealthCheck;
import io.remit.schools.core.Catalogue;
import io.remit.schools.core.EtcdCatalogue;
import java.util.Map;

/**
 * Critical: the catalogue is loaded and readable. Unhealthy before the first load from etcd, and
 * when every stored school is unreadable (the secrets key is not the one the data was sealed
 * with: nothing could be served). Some unreadable schools only show in the message and details.
 */
final class CatalogueHealthCheck extends HealthCheck {

    private final Catalogue catalogue;

    CatalogueHealthCheck(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    protected Result check() {
        if (!catalogue.isLoaded()) {
            return Result.unhealthy("catalogue not loaded yet from " + catalogue.describe());
        }
        int readable = catalogue.all().size();
        Map<String, String> unreadable = catalogue instanceof EtcdCatalogue etcd ? etcd.unreadable() : Map.of();
        String message = readable + " schools (" + catalogue.describe() + ")";
        if (unreadable.isEmpty()) {
            return Result.builder().healthy().withMessage(message).withDetail("schools", readable).build();
        }
        String first = unreadable.entrySet().iterator().next().getValue();
        ResultBuilder r = readable == 0 ? Result.builder().unhealthy() : Result.builder().healthy();
        return r.withMessage(message + "; " + unreadable.size() + " cannot be read, e.g.: " + first)
                .withDetail("schools", readable)
                .withDetail("unreadable", unreadable)
                .build();
    }
}
