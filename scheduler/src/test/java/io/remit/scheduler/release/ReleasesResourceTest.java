package io.remit.scheduler.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.http.ApiException;
import io.remit.http.ErrorDetail;
import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.state.InMemorySpecStore;
import io.remit.scheduler.state.SpecCodec;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/releases}'s input checks, on the in-memory stores: every problem named at once, nothing started. */
class ReleasesResourceTest {

    static final String FX = """
            {"id":"fx","version":"2.0.0","artifacts":["{{artifacts}}/svc.jar"],"instances":1,
             "resources":{"cpus":0.1,"memMb":128,"diskMb":0,"ports":["http","admin"]}}""";

    final RecordStore<Release> releases = RecordStore.inMemory(Release::id, Comparator.comparing(Release::createdAt));
    final InMemorySpecStore specs = new InMemorySpecStore();
    final ReleasesResource resource = new ReleasesResource(releases, specs, SpecCodec.plain(),
            Clock.fixed(DeploymentsResourceTest.NOW, ZoneOffset.UTC));

    ReleasesResourceTest() {
        specs.create(TestSpecs.spec("fx", 1));
    }

    static List<String> paths(ApiException e) {
        return e.details().stream().map(ErrorDetail::path).toList();
    }

    @Test
    void aBadChangeMessageHeaderAndANonStringMessageAreNamedTogetherAndNothingStarts() {
        String header = "UTF-8''%ZZ";
        assertThatThrownBy(() -> resource.create("{\"message\": 5, \"services\": [" + FX + "]}", header,
                DeploymentsResourceTest.request("ann", header)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(paths(e)).containsExactlyInAnyOrder("X-Remit-Message", "message");
                });
        assertThat(releases.all()).isEmpty();
    }

    @Test
    void aChangeMessageHeaderTooLongIsRefused() {
        String header = "x".repeat(1001);
        assertThatThrownBy(() -> resource.create("{\"services\": [" + FX + "]}", header,
                DeploymentsResourceTest.request("ann", header)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(paths(e)).containsExactly("X-Remit-Message");
                    assertThat(e.details().get(0).message()).contains("at most 1000");
                });
        assertThat(releases.all()).isEmpty();
    }

    @Test
    void aGoodHeaderIsTheMessageDecodedAsRfc8187() {
        String header = "UTF-8''caf%C3%A9 quotes";
        Response r = resource.create("{\"services\": [" + FX + "]}", header, DeploymentsResourceTest.request("ann", header));
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(releases.all()).singleElement().satisfies(s -> {
            assertThat(s.value().message()).isEqualTo("caf\u00e9 quotes");
            assertThat(s.value().createdBy()).isEqualTo("ann");
        });
    }

    @Test
    void anEmptyBodyIs400NamingTheBody() {
        for (String body : new String[] {null, "", "  \n"}) {
            assertThatThrownBy(() -> resource.create(body, null, DeploymentsResourceTest.request("ann", null)))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(paths(e)).containsExactly("body");
                    });
        }
    }
}
