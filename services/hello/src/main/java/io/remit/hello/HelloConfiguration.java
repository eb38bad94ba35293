package io.remit.hello;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.constraints.NotNull;

/** hello's Dropwizard configuration: the usual {@code server} and {@code logging}, plus {@code remit}. */
public class HelloConfiguration extends Configuration {

    @NotNull
    private RemitSettings remit = RemitSettings.LOCAL;

    @JsonProperty("remit")
    public RemitSettings getRemit() {
        return remit;
    }

    @JsonProperty("remit")
    public void setRemit(RemitSettings remit) {
        this.remit = remit;
    }
}
