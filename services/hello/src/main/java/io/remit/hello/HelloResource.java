package io.remit.hello;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /hello?name=x}: a greeting that says which instance and version answered. Thread-safe. */
@Path("/hello")
@Produces(MediaType.APPLICATION_JSON)
public class HelloResource {

    private final String salutation;
    private final RemitSettings remit;

    /** @param salutation the word before the name, e.g. {@code Hello} */
    public HelloResource(String salutation, RemitSettings remit) {
        this.salutation = salutation;
        this.remit = remit;
    }

    @GET
    public Greeting hello(@QueryParam("name") @DefaultValue("world") String name) {
        return new Greeting(salutation + ", " + name + "!", remit.instanceId(), remit.version());
    }
}
