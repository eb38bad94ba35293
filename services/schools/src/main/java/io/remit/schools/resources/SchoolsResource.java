package io.remit.schools.resources;

import io.remit.http.ApiException;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import io.remit.schools.api.School;
import io.remit.schools.core.Catalogue;
import io.remit.schools.core.SchoolInput;
import io.remit.schools.core.SchoolRecord;
import io.remit.schools.core.SchoolSearch;
import io.remit.schools.core.SchoolValidator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue over HTTP. Every answer carries schools as {@link School}: the bank account is
 * masked to its last four characters, whatever the request. Thread-safe.
 */
@Path("/schools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SchoolsResource {

    private static final Logger LOG = LoggerFactory.getLogger(SchoolsResource.class);
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final Catalogue catalogue;

    public SchoolsResource(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * Schools whose name contains {@code name} (any case) in {@code country} (ISO 3166-1 alpha-2,
     * any case), sorted by name; either filter may be left out. 422 for a country that is no code.
     */
    @GET
    public List<School> search(@QueryParam("name") String name, @QueryParam("country") String country) {
        if (country != null && !country.isBlank()) {
            Problems problems = new Problems();
            problems.check(COUNTRIES.contains(country.strip().toUpperCase(Locale.ROOT)), "country",
                    "is not an ISO 3166-1 alpha-2 country code: " + country.strip());
            problems.throwIfAny();
        }
        return SchoolSearch.search(catalogue.all(), name, country).stream().map(SchoolRecord::toApi).toList();
    }

    @GET
    @Path("/{id}")
    public School get(@PathParam("id") String id) {
        return catalogue.find(id).map(SchoolRecord::toApi).orElseThrow(() -> notFound(id));
    }

    /** Adds a school: 201 with it (masked), 409 when the id is taken, 422 listing every problem. */
    @POST
    public Response create(SchoolInput input) {
        Problems problems = new Problems();
        SchoolRecord school = SchoolValidator.validate(input, "", SchoolValidator.Account.REQUIRED, problems).orElse(null);
        problems.throwIfAny();
        if (!catalogue.create(school)) {
            throw ApiException.conflict("school " + school.id() + " already exists",
                    List.of(new Problem("id", "is taken by an existing school; PUT /schools/" + school.id() + " changes it")));
        }
        LOG.info("school {} created ({}, {}, account {})", school.id(), school.country(), school.currency(), school.accountNumber());
        return Response.created(UriBuilder.fromPath("/schools/{id}").build(school.id())).entity(school.toApi()).build();
    }

    /**
     * Replaces a school: the body is a whole school, except that {@code bankAccount.accountNumber}
     * may be left out to keep the current one. The body's {@code id}, if given, must be the path's.
     * 200 with it (masked), 404 when there is none, 422 listing every problem, 409 when concurrent
     * writes kept winning.
     */
    @PUT
    @Path("/{id}")
    public School replace(@PathParam("id") String id, SchoolInput input) {
        Problems problems = new Problems();
        if (input != null && input.id() != null && !input.id().equals(id)) {
            problems.add("id", "must be the id in the path (" + id + ") or left out");
        }
        SchoolInput withId = input == null ? null
                : new SchoolInput(id, input.name(), input.country(), input.currency(), input.paymentMethods(), input.bankAccount());
        SchoolRecord candidate = SchoolValidator.validate(withId, "", SchoolValidator.Account.OPTIONAL, problems).orElse(null);
        problems.throwIfAny();
        try {
            SchoolRecord updated = catalogue.update(id, current ->
                    candidate.accountNumber() == null ? candidate.withAccountNumber(current.accountNumber()) : candidate)
                    .orElseThrow(() -> notFound(id));
            LOG.info("school {} replaced ({}, {}, account {})", id, updated.country(), updated.currency(), updated.accountNumber());
            return updated.toApi();
        } catch (Catalogue.ConcurrentUpdateException e) {
            throw ApiException.conflict(e.getMessage(), List.of());
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("school " + id);
    }
}
