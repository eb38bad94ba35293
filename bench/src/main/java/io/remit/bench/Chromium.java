package io.remit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through its chromedriver, with a fresh profile and the flags
 * DashboardRender uses (nothing reaches outside this machine), and the few calls the UI drivers
 * need. {@link #close()} quits it and deletes the profile.
 */
final class Chromium implements AutoCloseable {

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Chromium start() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        Path profile = Files.createTempDirectory("remit-bench-chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1440,960");
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build(), options);
        return new Chromium(driver, profile);
    }

    /** Opens the UI of {@code schedulerUrl} and signs in with {@code token} through its own form. */
    void signIn(String schedulerUrl, String token) {
        driver.get(schedulerUrl + "/ui/#/");
        element("#login-token").sendKeys(token);
        element("#login-submit").click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage("the UI signs in")
                .until(d -> Boolean.TRUE.equals(script("return document.getElementById('login').hidden")));
    }

    /** Runs {@code source} in every new document before the page's own scripts (DevTools). */
    void beforeEveryDocument(String source) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    }

    /** Empties the HTTP cache, so the next load is a first visit's. */
    void clearCache() {
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
    }

    WebElement element(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(20)).withMessage("an element " + css)
                .until(d -> {
                    List<WebElement> found = d.findElements(By.cssSelector(css));
                    return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
                });
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary profile is harmless
        }
    }
}
