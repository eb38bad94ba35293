package io.remit.payments.support;

import com.sun.net.httpserver.HttpExchange;
import io.remit.schools.api.School;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** schools as specified: {@code GET /schools/{id}}, 404 for an unknown id. */
public final class FakeSchools extends FakeServer {

    public static final School BROOKES = new School("oxford-brookes", "Oxford Brookes University", "GB", "GBP",
            List.of("BANK_TRANSFER", "CARD"), new School.MaskedAccount("Barclays", "4821"));
    public static final School TORONTO = new School("u-toronto", "University of Toronto", "CA", "CAD",
            List.of("BANK_TRANSFER"), new School.MaskedAccount("RBC", "1177"));

    private final Map<String, School> schools = new ConcurrentHashMap<>(Map.of(BROOKES.id(), BROOKES, TORONTO.id(), TORONTO));

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (!"GET".equals(exchange.getRequestMethod()) || !path.startsWith("/schools/")) {
            error(exchange, 404, "no route " + path);
            return;
        }
        String id = URLDecoder.decode(path.substring("/schools/".length()), StandardCharsets.UTF_8);
        School s = schools.get(id);
        if (s == null) {
            error(exchange, 404, "school " + id + " not found");
        } else {
            answer(exchange, 200, s);
        }
    }
}
