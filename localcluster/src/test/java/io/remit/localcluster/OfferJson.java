package io.remit.localcluster;

import com.fasterxml.jackson.databind.JsonNode;

final class OfferJson {
    private OfferJson() {
    }

    static double scalar(JsonNode offer, String name) {
        for (JsonNode r : offer.path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r.path("scalar").path("value").asDouble();
            }
        }
        return 0;
    }
}
