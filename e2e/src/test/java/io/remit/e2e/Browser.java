package io.remit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven through its {@code chromedriver}),
 * with the flags this closed network needs, a fresh profile, and screenshots saved under
 * {@code e2e/target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("remit.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("remit.chromedriver", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(60);

    final ChromeDriver driver;
    private final Path screenshots;
    private final Path profile;

    private Browser(ChromeDriver driver, Path screenshots, Path profile) {
        this.driver = driver;
        this.screenshots = screenshots;
        this.profile = profile;
    }

    static Browser start(Path screenshots) throws IOException {
        assertThat(Files.isExecutable(CHROMIUM)).as("Debian's chromium at %s (apt-get install chromium chromium-driver;"
                + " .ci/run and ./remit test install it)", CHROMIUM).isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER)).as("Debian's chromedriver at %s", CHROMEDRIVER).isTrue();
        Files.createDirectories(screenshots);
        Path profile = Files.createTempDirectory("remit-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1440,960");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), screenshots, profile);
    }

    void open(String url) {
        driver.get(url);
    }

    /**
     * Waits (up to a minute) until {@code condition} gives something other than null or false. An
     * element the live page replaced while the condition looked at it is looked for again.
     */
    <T> T until(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    WebElement find(String css) {
        return until("an element " + css, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /**
     * The text of the first element matching {@code css} as shown, or "" when there is none. Read in
     * one script call: the live pages replace their elements as events arrive.
     */
    String text(String css) {
        Object text = script("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css);
        return text == null ? "" : text.toString();
    }

    /** Whether the first element matching {@code css} exists and is enabled, read in one script call. */
    boolean enabled(String css) {
        return Boolean.TRUE.equals(script("const e = document.querySelector(arguments[0]); return !!e && !e.disabled;", css));
    }

    int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Signs in through the UI's own form. */
    void signInWithToken(String token) {
        find("#login-token").sendKeys(token);
        find("#login-submit").click();
    }

    void signInWithPassword(String user, String password) {
        find("#login-user").sendKeys(user);
        find("#login-password").sendKeys(password);
        find("#login-submit").click();
    }

    Path screenshot(String name) {
        try {
            Path file = screenshots.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary profile is harmless
        }
    }
}
