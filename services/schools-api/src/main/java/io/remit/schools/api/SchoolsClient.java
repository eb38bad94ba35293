package io.remit.schools.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.remit.kit.client.Call;
import io.remit.kit.client.DependencyErrorException;
import io.remit.kit.client.ServiceClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The typed client of schools, on the kit's resilient {@link ServiceClient}. */
public final class SchoolsClient {

    public static final String SERVICE = "schools";

    private final ServiceClient client;

    public SchoolsClient(ServiceClient client) {
        this.client = client;
    }

    /** The school with this id; empty when schools does not know it (404). */
    public Optional<School> find(String id) {
        try {
            return Optional.of(client.call(Call.get("/schools/" + encode(id)), School.class));
        } catch (DependencyErrorException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Schools whose name contains {@code name} (any case) in {@code country}; either may be null. */
    public List<School> search(String name, String country) {
        StringBuilder q = new StringBuilder("/schools?");
        if (name != null) {
            q.append("name=").append(encode(name)).append('&');
        }
        if (country != null) {
            q.append("country=").append(encode(country));
        }
        return client.call(Call.get(q.toString()), new TypeReference<List<School>>() { });
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
