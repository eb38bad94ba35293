package io.remit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in a real headless Chromium against a running {@code ./remit local} (fx and schools,
 * two instances each): what an operator sees and does, and what a viewer may not do. Each test
 * saves a screenshot in {@code e2e/target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {

    static final Duration START = Duration.ofMinutes(4);
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    LocalRemit remit;
    Browser browser;

    @BeforeAll
    void start() throws Exception {
        remit = LocalRemit.start(List.of("fx", "schools"), spec -> {
            ObjectNode health = (ObjectNode) spec.path("healthCheck");
            health.put("interval", "1s").put("timeout", "1s").put("gracePeriod", "120s").put("consecutiveFailures", 3);
        });
        remit.awaitHealthy("fx", 2, START);
        remit.awaitHealthy("schools", 2, START);
    }

    @AfterAll
    void stop() {
        if (remit != null) {
            remit.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Browser.start(SCREENSHOTS);
    }

    @AfterEach
    void closeBrowser(TestInfo test) {
        if (browser != null) {
            browser.screenshot("WebUiIT-" + test.getTestMethod().orElseThrow().getName());
            browser.close();
        }
    }

    @Test
    @Order(1)
    void theDashboardShowsTheClusterAndEveryServiceWithItsCountsAndState() {
        browser.open(remit.scheduler() + "/");
        assertThat(browser.driver.getCurrentUrl()).as("/ leads to the UI").endsWith("/ui/");
        browser.signInWithToken(remit.credential("REMIT_TOKEN"));

        for (String service : List.of("fx", "schools")) {
            browser.until(service + " shows 2 / 2 healthy and running", d ->
                    browser.text("tr[data-service='" + service + "'] .counts").equals("2 / 2")
                            && browser.text("tr[data-service='" + service + "'] .state").startsWith("running"));
        }
        assertThat(browser.text("tr[data-service='fx']")).contains("treasury");
        assertThat(browser.text("#service-summary")).isEqualTo("2 services: 2 running");
        // The cluster's totals as the master reports them: one agent of 4 cpus, 8 GB (./remit local's default).
        assertThat(browser.text("#cluster [data-resource='cpus']")).contains("of 4");
        assertThat(browser.text("#cluster [data-resource='memMb']")).contains("of 8 GB");
        assertThat(browser.text("#cluster [data-resource='cpus'] .allocated")).isNotEqualTo("0");
        browser.until("recent events list instances becoming healthy", d ->
                browser.count("#recent-events li[data-event='instance.healthy']") >= 4);
        assertThat(browser.text("#live")).isEqualTo("live");

        // Reloading again and again keeps working: each page closes its event stream as it goes
        // (Chromium allows six connections to a host, and kept the streams of the pages before).
        for (int reload = 0; reload < 8; reload++) {
            browser.driver.navigate().refresh();
            browser.until("the dashboard after reload " + (reload + 1), d ->
                    browser.text("tr[data-service='fx'] .counts").equals("2 / 2"));
        }
    }

    @Test
    @Order(2)
    void aViewerSeesEverythingButEveryActionIsRefused() {
        browser.open(remit.scheduler() + "/ui/#/services/fx");
        browser.signInWithPassword(remit.credential("REMIT_VIEWER_USER"), remit.credential("REMIT_VIEWER_PASSWORD"));
        browser.until("the fx page lists its two instances", d -> browser.count("#instances tr[data-task]") == 2);
        assertThat(browser.text("#who")).contains("viewer");
        assertThat(browser.text("#banner")).contains("changes are refused");
        for (String action : List.of("#scale", "#restart", "#edit", "#delete", "#instances button.danger")) {
            browser.find(action);
            assertThat(browser.enabled(action)).as(action + " is disabled for a viewer").isFalse();
        }
        // Reading an instance's log is not a change: a viewer may.
        assertThat(browser.enabled("#instances button[data-logs]")).as("Logs is enabled for a viewer").isTrue();
        // And the scheduler itself refuses a viewer's change, whatever the page shows.
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/v1/services/fx/restart', {method: 'POST', headers: {
                    'Authorization': sessionStorage.getItem('remit.authorization'), 'X-Requested-With': 'test'}})
                  .then(r => r.json().then(body => done({status: r.status, message: body.message})));""");
        assertThat(answer.get("status")).isEqualTo(403L);
        assertThat(remit.service("fx").path("status").path("desired").asInt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aForgedTokenIsNotAccepted() {
        browser.open(remit.scheduler() + "/");
        browser.signInWithToken("forged-" + remit.credential("REMIT_TOKEN"));
        browser.until("the sign-in form says the token was not accepted",
                d -> browser.text("#login-error").startsWith("Not accepted"));
        assertThat(browser.find("#login").isDisplayed()).isTrue();
        assertThat(browser.count("tr[data-service]")).isZero();
    }

    @Test
    @Order(4)
    void aWhatIfOnTheCapacityPageGivesItsAnswerAndFlagsBadInput() {
        browser.open(remit.scheduler() + "/ui/#/capacity");
        browser.signInWithToken(remit.credential("REMIT_TOKEN"));
        browser.until("the by-service table lists fx", d -> browser.text("#by-service").contains("fx"));
        assertThat(browser.text("#fragmentation")).contains("Largest shape");
        browser.until("the allocation history drawn as four charts", d -> browser.count("#history .chart svg path.alloc") == 4);
        assertThat(browser.text("#history")).contains("CPUs allocated now 1 of 4").contains("Remit instances now 4");
        browser.script("document.getElementById('history').scrollIntoView();");
        browser.screenshot("WebUiIT-capacityHistoryCharts");

        browser.until("fx is offered as a service", d -> !d.findElements(By.cssSelector("#whatif-service option[value='fx']")).isEmpty());
        new Select(browser.find("#whatif-service")).selectByValue("fx");
        WebElement count = browser.find("#whatif-count");
        count.clear();
        count.sendKeys("3");
        browser.find("#whatif-ask").click();
        browser.until("the answer: 3 of 3 fit", d -> browser.text("#whatif-fits").equals("3 of 3 fit"));
        assertThat(browser.text("#whatif-answer")).contains("3 more instances of fx").contains("127.0.0.1 ×3");

        browser.find("#whatif-kind-shape").click();
        WebElement mem = browser.find("#whatif-memMb");
        mem.clear();
        mem.sendKeys("100000");
        count.clear();
        count.sendKeys("1");
        browser.find("#whatif-ask").click();
        browser.until("the answer: 0 of 1 fit, with the reason", d -> browser.text("#whatif-fits").equals("0 of 1 fit"));
        assertThat(browser.text("#whatif-answer .reason")).isNotBlank();

        count.clear();
        count.sendKeys("0");
        browser.find("#whatif-ask").click();
        browser.until("count is flagged next to its field", d -> !browser.text("[data-error-for='count']").isEmpty());
        assertThat(browser.text("[data-error-for='count']")).contains("between 1");
    }

    @Test
    @Order(8)
    void aServicePageChartsItsGoldenSignalsPerVersionAndTheDashboardShowsThemNow() {
        // Requests to fx (its rates endpoint), spread over a few scrapes so that its rate is not zero.
        String fx = remit.urls("fx").get(0);
        remit.until("Prometheus has a request rate for fx", Duration.ofSeconds(90), () -> {
            LocalRemit.get(fx + "/currencies");
            JsonNode rate = LocalRemit.get("http://127.0.0.1:" + remit.prometheusPort
                    + "/api/v1/query?query=service_version:http_requests:rate1m%7Bservice%3D%22fx%22%7D")
                    .map(r -> { try { return LocalRemit.JSON.readTree(r.body()); } catch (Exception e) { return null; } })
                    .orElse(null);
            return rate != null && rate.path("data").path("result").path(0).path("value").path(1).asDouble() > 0;
        });
        browser.open(remit.scheduler() + "/ui/#/services/fx");
        browser.signInWithToken(remit.credential("REMIT_TOKEN"));
        browser.until("four golden-signal charts", d -> browser.count("#signals .chart[data-signal]") == 4);
        browser.until("a request-rate line for fx's version", d ->
                browser.count("#signals .chart[data-signal='Requests per second'] path.series[data-version]") == 1);
        assertThat(browser.count("#signals-unavailable")).isZero();
        assertThat(browser.text("#signals .chart[data-signal='Error rate (5xx)']")).contains("threshold 5%");

        browser.open(remit.scheduler() + "/ui/#/");
        browser.until("the dashboard shows fx's requests now", d ->
                browser.text("#services tr[data-service='fx'] td.signals").contains("req/s"));
        assertThat(browser.text("#metrics-note")).isEmpty();
    }

    @Test
    @Order(5)
    void theAgentsPageShowsEachAgentsResourcesSplitByService() {
        browser.open(remit.scheduler() + "/ui/#/agents");
        browser.signInWithToken(remit.credential("REMIT_TOKEN"));
        browser.until("the agent's card", d -> browser.count("section.agent") == 1);
        for (String resource : List.of("cpus", "memMb", "diskMb", "ports")) {
            assertThat(browser.count("section.agent [data-resource='" + resource + "'] .bar")).isEqualTo(1);
        }
        // fx and schools each take a coloured piece of the memory bar, named in its tooltip.
        String pieces = (String) browser.script("return [...document.querySelectorAll("
                + "\"section.agent [data-resource='memMb'] .bar span\")].map(s => s.title).join('|');");
        assertThat(pieces).contains("fx: ").contains("schools: ");
        assertThat(browser.text("section.agent [data-resource='memMb']")).contains("of 8 GB");
        assertThat(browser.text("section.agent")).contains("4 Remit instances");
    }

    @Test
    @Order(6)
    void anInvalidEditShowsEveryErrorByItsFieldAndChangesNothing() {
        JsonNode before = remit.service("schools").path("spec");
        browser.open(remit.scheduler() + "/ui/#/services/schools");
        browser.signInWithToken(remit.credential("REMIT_TOKEN"));
        browser.until("the schools page lists its instances", d -> browser.count("#instances tr[data-task]") == 2);
        browser.find("#edit").click();
        WebElement instances = browser.find("#editor input[name='instances']");
        instances.clear();
        instances.sendKeys("-1");
        WebElement mem = browser.find("#editor input[name='resources.memMb']");
        mem.clear();
        mem.sendKeys("0");
        WebElement version = browser.find("#editor input[name='version']");
        version.clear();
        version.sendKeys("not a version!");
        browser.find("#save-spec").click();

        browser.until("instances is flagged", d -> !browser.text("[data-error-for='instances']").isEmpty());
        assertThat(browser.text("[data-error-for='instances']")).contains("between 0 and 1000");
        assertThat(browser.text("[data-error-for='resources.memMb']")).isNotBlank();
        assertThat(browser.text("[data-error-for='version']")).isNotBlank();
        assertThat(browser.text("#action-message")).contains("3 problem");
        assertThat(remit.service("schools").path("spec")).as("nothing changed").isEqualTo(before);
    }

    @Test
    @Order(7)
    void scalingFromTheServicePageShowsTheNewInstanceWithoutAReload() {
        browser.open(remit.scheduler() + "/ui/#/services/fx");
        browser.signInWithToken(remit.credential("REMIT_TOKEN"));
        browser.until("the fx page lists its two instances", d -> browser.count("#instances tr[data-task]") == 2);
        browser.script("window.__sameDocument = true;");

        WebElement scale = browser.find("#scale-count");
        // Typed over, as a user would: WebDriver's clear() also blurs the field without an input
        // event, and a live update arriving then rightly refills an untouched field ("2" + "3").
        scale.sendKeys(Keys.chord(Keys.CONTROL, "a"), "3");
        browser.find("#scale").click();
        browser.until("the page says it is scaling", d -> browser.text("#action-message").contains("Scaling fx to 3"));
        browser.until("a third instance appears", d -> browser.count("#instances tr[data-task]") == 3);
        browser.until("3 / 3 healthy", d -> browser.text("#healthy-count").equals("3 / 3"));
        assertThat(browser.script("return window.__sameDocument === true;")).as("no reload happened").isEqualTo(true);
        assertThat(remit.instances("fx")).hasSize(3);
        assertThat(browser.text("#service-events")).contains("healthy");
    }

    @Test
    @Order(9)
    void theServicePageShowsTheRevisionHistoryWithDiffsAndOnlyOperatorsMayRollBack() {
        browser.open(remit.scheduler() + "/ui/#/services/schools");
        browser.signInWithToken(remit.credential("REMIT_TOKEN"));
        browser.until("revision 1, loaded from the spec file by remit", d ->
                browser.text("#revision-list tr[data-revision='1']").contains("loaded from"));
        assertThat(browser.text("#revision-list tr[data-revision='1']")).contains("remit").contains("current");

        // A change made elsewhere (here: the API, with a message) appears live as revision 2.
        @SuppressWarnings("unchecked")
        Map<String, Object> put = (Map<String, Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                const h = {'Authorization': sessionStorage.getItem('remit.authorization'), 'X-Requested-With': 'test'};
                fetch('/v1/services/schools', {headers: h}).then(r => r.json()).then(svc => {
                  svc.spec.env.RELEASE_NOTE = 'ui-revisions';
                  return fetch('/v1/services/schools', {method: 'PUT', body: JSON.stringify(svc.spec),
                      headers: {...h, 'Content-Type': 'application/json', 'X-Remit-Message': 'note the release'}});
                }).then(r => done({status: r.status, revision: r.headers.get('X-Remit-Revision')}));""");
        assertThat(put).containsEntry("status", 200L).containsEntry("revision", "2");
        browser.until("revision 2 listed as current, with its message", d ->
                browser.text("#revision-list tr[data-revision='2']").contains("note the release")
                        && browser.text("#revision-list tr[data-revision='2']").contains("current"));

        browser.find("#revision-list tr[data-revision='1'] button[data-action='diff']").click();
        browser.until("the diff of revision 1 with the current one", d ->
                browser.text("#diff-text").contains("+  RELEASE_NOTE: ui-revisions"));
        assertThat(browser.text("#diff-text")).startsWith("--- schools revision 1\n+++ schools revision 2");

        browser.script("window.confirm = () => true;");
        browser.find("#revision-list tr[data-revision='1'] button[data-action='rollback']").click();
        browser.until("the rollback is revision 3, current", d ->
                browser.text("#revision-list tr[data-revision='3']").contains("rollback to revision 1")
                        && browser.text("#revision-list tr[data-revision='3']").contains("current"));
        assertThat(browser.text("#action-message")).startsWith("rolling schools back to revision 1 as revision 3");
        assertThat(remit.service("schools").path("spec").path("env").has("RELEASE_NOTE")).isFalse();
        assertThat(browser.count("#revision-list button[data-action='rollback']")).as("one per earlier revision").isEqualTo(2);
        browser.screenshot("WebUiIT-revisions-operator");

        // A viewer sees the history and its diffs, and no Rollback at all.
        browser.find("#who button").click();
        browser.signInWithPassword(remit.credential("REMIT_VIEWER_USER"), remit.credential("REMIT_VIEWER_PASSWORD"));
        browser.until("the viewer's page lists the three revisions", d -> browser.text("#who").contains("viewer")
                && browser.count("#revision-list tr[data-revision]") == 3);
        assertThat(browser.count("#revision-list button[data-action='diff']")).isEqualTo(2);
        assertThat(browser.count("#revision-list button[data-action='rollback']")).isZero();
    }
}
