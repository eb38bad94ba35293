package io.remit.kit.routing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Where a request enters without a cohort key while an experiment takes its keys from a JSON body
 * field ({@code "cohort": {"field": "payerId"}}): reads the body, takes the field's value (a
 * top-level string or number) as the request's {@link Cohort} key, and hands the body on to the
 * resource unchanged. Reads no body when the request has a key already or no experiment names a
 * field, which is the usual case.
 */
public final class CohortFieldFilter implements ContainerRequestFilter {

    private static final JsonFactory JSON = new JsonFactory();

    private final RoutingRules rules;

    public CohortFieldFilter(RoutingRules rules) {
        this.rules = rules;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (Cohort.current() != null || !request.hasEntity()) {
            return;
        }
        List<String> fields = rules.cohortFields();
        MediaType type = request.getMediaType();
        if (fields.isEmpty() || type == null
                || (!type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.getSubtype().endsWith("+json"))) {
            return;
        }
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        String key = field(body, fields);
        if (key != null) {
            Cohort.set(key);
        }
    }

    /** The text of the first of {@code fields} found at the top level of {@code body}; null if none (or not JSON). */
    static String field(byte[] body, List<String> fields) {
        String[] found = new String[fields.size()];
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int i = fields.indexOf(p.currentName());
                JsonToken value = p.nextToken();
                if (i >= 0 && (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT)) {
                    found[i] = p.getText();
                    if (i == 0) {
                        break;
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // not JSON: the resource answers that; no key
        }
        for (String f : found) {
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
