package io.remit.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.remit.localcluster.resources.ResourceSpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's {@code /files/read} and {@code /files/browse} answer as a Mesos agent's do
 * (src/files/files.cpp): offsets and lengths, the size query, 404 and 400 with Mesos's messages,
 * and nothing outside a sandbox, by a relative path, an absolute one or a link.
 */
class FilesEndpointIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;
    LocalCluster cluster;
    RawScheduler s;
    String agent;
    /** The task's sandbox as Mesos names it for users: {@code /frameworks/F/executors/T/runs/latest}. */
    String sandbox;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work)
                .resources(ResourceSpec.parse("cpus:2;mem:1024;disk:1000;ports:[31000-31009]")).start();
        AgentInfo info = cluster.agents().get(0).info();
        agent = "http://" + info.getHostname() + ":" + info.getPort();
        s = new RawScheduler(cluster.masterUrl());
        s.subscribe("{\"user\":\"u\",\"name\":\"n\"}");
        JsonNode offer = s.nextOfType("OFFERS").path("offers").path("offers").get(0);
        String command = "printf 'one\\\\ntwo\\\\nthree\\\\n'; yes aaaaaaa | head -c 100000 > big;"
                + " mkdir sub; ln -s /etc/passwd escape; ln -s stdout inside; touch done; sleep 600";
        assertThat(s.call(RawScheduler.launch(s.frameworkId, offer, "t1", RawScheduler.scalars(0.1, 32), command))
                .statusCode()).isEqualTo(202);
        s.reach("t1", "TASK_RUNNING");
        sandbox = "/frameworks/" + s.frameworkId + "/executors/t1/runs/latest";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (get("/files/read?path=" + enc(sandbox + "/done")).statusCode() != 200) {
            assertThat(System.nanoTime()).as("the command wrote its files within 10 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    @AfterEach
    void stop() throws Exception {
        s.close();
        cluster.close();
    }

    @Test
    void readsTheAskedBytesAndAnswersTheSizeForOffsetMinusOne() throws Exception {
        String stdout = sandbox + "/stdout";
        assertThat(json("/files/read?path=" + enc(stdout) + "&offset=-1")).isEqualTo(body("", 14));
        assertThat(json("/files/read?path=" + enc(stdout))).as("no offset is the size query too").isEqualTo(body("", 14));
        assertThat(json("/files/read?path=" + enc(stdout) + "&offset=0")).isEqualTo(body("one\ntwo\nthree\n", 0));
        assertThat(json("/files/read?path=" + enc(stdout) + "&offset=4&length=3")).isEqualTo(body("two", 4));
        assertThat(json("/files/read?path=" + enc(stdout) + "&offset=4&length=-1")).isEqualTo(body("two\nthree\n", 4));
        assertThat(json("/files/read?path=" + enc(stdout) + "&offset=0x4&length=0x3")).isEqualTo(body("two", 4));
        assertThat(json("/files/read?path=" + enc(stdout) + "&offset=100&length=5"))
                .as("past the end: no data, the offset asked for").isEqualTo(body("", 100));
        JsonNode big = json("/files/read?path=" + enc(sandbox + "/big") + "&offset=10");
        assertThat(big.path("data").asText()).as("capped at 16 pages").hasSize(65536).matches("[a\\n]+");
        assertThat(json("/files/read.json?path=" + enc(stdout) + "&offset=0&length=3")).isEqualTo(body("one", 0));
    }

    @Test
    void badParametersAre400WithMesossMessages() throws Exception {
        String stdout = enc(sandbox + "/stdout");
        assertError("/files/read", 400, "Expecting 'path=value' in query.\n");
        assertError("/files/read?path=", 400, "Expecting 'path=value' in query.\n");
        assertError("/files/browse", 400, "Expecting 'path=value' in query.\n");
        assertError("/files/read?path=" + stdout + "&offset=-2", 400, "Negative offset provided: -2.\n");
        assertError("/files/read?path=" + stdout + "&length=-5", 400, "Negative length provided: -5.\n");
        assertError("/files/read?path=" + stdout + "&offset=abc", 400,
                "Failed to parse offset: Failed to convert 'abc' to number.\n");
        assertError("/files/read?path=" + stdout + "&offset=0&length=1.5", 400,
                "Failed to parse length: Failed to convert '1.5' to number.\n");
        assertError("/files/read?path=" + enc(sandbox) + "&offset=0", 400, "Cannot read a directory.\n");
    }

    @Test
    void aMissingFileOrAnUnattachedPathIs404WithNoBody() throws Exception {
        assertError("/files/read?path=" + enc(sandbox + "/nothing") + "&offset=0", 404, "");
        assertError("/files/browse?path=" + enc(sandbox + "/nothing"), 404, "");
        assertError("/files/read?path=" + enc("/frameworks/" + s.frameworkId + "/executors/nobody/runs/latest/stdout"), 404, "");
        assertError("/files/read?path=" + enc("/etc/passwd") + "&offset=0", 404, "");
        assertError("/files/browse?path=" + enc("/"), 404, "");
        assertError("/files/browse?path=" + enc(work.toString()), 404, "");
    }

    @Test
    void nothingOutsideTheSandboxIsServed() throws Exception {
        String up = sandbox + "/../../../../../../../../../../../../etc/passwd";
        HttpResponse<String> dots = get("/files/read?path=" + enc(up) + "&offset=0");
        assertThat(dots.statusCode()).isEqualTo(400);
        assertThat(dots.body()).endsWith("' is inaccessible.\n").doesNotContain("root:");
        HttpResponse<String> link = get("/files/read?path=" + enc(sandbox + "/escape") + "&offset=0");
        assertThat(link.statusCode()).isEqualTo(400);
        assertThat(link.body()).endsWith("' is inaccessible.\n").doesNotContain("root:");
        assertThat(get("/files/browse?path=" + enc(sandbox + "/..")).statusCode()).isEqualTo(400);
        String sideways = "/frameworks/" + s.frameworkId + "/executors/t1/runs/latest/../../../t1/runs/latest/stdout";
        assertThat(json("/files/read?path=" + enc(sideways) + "&offset=0&length=3"))
                .as("a '..' that comes back inside is served: the canonical path decides, as in Mesos")
                .isEqualTo(body("one", 0));
        assertThat(json("/files/read?path=" + enc(sandbox + "/inside") + "&offset=0&length=3"))
                .as("a link that stays inside is followed").isEqualTo(body("one", 0));
    }

    @Test
    void browseListsTheSandboxSortedWithMesossFileInfo() throws Exception {
        JsonNode listing = json("/files/browse?path=" + enc(sandbox));
        List<String> paths = new ArrayList<>();
        listing.forEach(f -> paths.add(f.path("path").asText()));
        assertThat(paths).contains(sandbox + "/stdout", sandbox + "/stderr", sandbox + "/big", sandbox + "/sub")
                .isSorted();
        JsonNode stdout = listing.get(paths.indexOf(sandbox + "/stdout"));
        List<String> keys = new ArrayList<>();
        stdout.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("gid", "mode", "mtime", "nlink", "path", "size", "uid");
        assertThat(stdout.path("size").asLong()).isEqualTo(14);
        assertThat(stdout.path("mode").asText()).matches("-r[-w][-x][-r][-w][-x][-r][-w][-x]");
        assertThat(listing.get(paths.indexOf(sandbox + "/sub")).path("mode").asText()).startsWith("d");
        assertThat(json("/files/browse?path=" + enc(sandbox + "/stdout"))).as("a file browses as nothing").isEmpty();
        String real = cluster.agents().get(0).info().getId().getValue();
        Path runs = work.resolve("slaves").resolve(real).resolve("frameworks").resolve(s.frameworkId)
                .resolve("executors").resolve("t1").resolve("runs");
        Path run = Files.readSymbolicLink(runs.resolve("latest"));
        String realPath = runs.resolve(run).toAbsolutePath().toString();
        assertThat(json("/files/read?path=" + enc(realPath + "/stdout") + "&offset=0&length=3"))
                .as("the run's real path is attached too").isEqualTo(body("one", 0));
        assertThat(json("/files/browse?path=" + enc(realPath)).get(0).path("path").asText()).startsWith(realPath + "/");
    }

    @Test
    void theSandboxOfAnEndedTaskStaysReadable() throws Exception {
        assertThat(s.call("{\"type\":\"KILL\",\"framework_id\":{\"value\":\"" + s.frameworkId + "\"},"
                + "\"kill\":{\"task_id\":{\"value\":\"t1\"}}}").statusCode()).isEqualTo(202);
        s.reach("t1", "TASK_KILLED");
        assertThat(json("/files/read?path=" + enc(sandbox + "/stdout") + "&offset=0&length=3")).isEqualTo(body("one", 0));
    }

    @Test
    void jsonpWrapsTheAnswer() throws Exception {
        HttpResponse<String> r = get("/files/read?path=" + enc(sandbox + "/stdout") + "&offset=0&length=3&jsonp=cb");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript");
        assertThat(r.body()).startsWith("cb({").endsWith("});").contains("\"data\":\"one\"");
    }

    private JsonNode body(String data, long offset) {
        return RawScheduler.JSON.createObjectNode().put("data", data).put("offset", (int) offset);
    }

    private void assertError(String pathAndQuery, int status, String body) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertThat(r.statusCode()).as(pathAndQuery).isEqualTo(status);
        assertThat(r.body()).as(pathAndQuery).isEqualTo(body);
    }

    private JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return RawScheduler.JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(agent + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
