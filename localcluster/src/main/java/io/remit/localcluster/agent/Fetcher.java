package io.remit.localcluster.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * Mesos's fetcher, for the URIs of a {@link CommandInfo}: {@code http(s)://} URLs are
 * downloaded, {@code file://} URLs and absolute paths copied, into the sandbox; an archive is
 * extracted unless the URI is executable or says {@code extract: false}. A URI with
 * {@code cache: true} is fetched once per agent into its fetcher cache and linked into each
 * sandbox after that, as with Mesos's fetcher cache: the URI names the content, so a new version
 * needs a new URI. Blocking and thread-safe; run it off the agent's thread.
 */
public final class Fetcher {

    private final Path cacheDir;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> cacheLocks =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** @param cacheDir where URIs with {@code cache: true} are kept, or null for no cache */
    public Fetcher(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /** Fetches every URI into {@code sandbox}, or fails at the first that cannot be had. */
    public void fetch(List<CommandInfo.URI> uris, Path sandbox) throws FetchException {
        for (CommandInfo.URI uri : uris) {
            fetchOne(uri, sandbox);
        }
    }

    private void fetchOne(CommandInfo.URI uri, Path sandbox) throws FetchException {
        String value = uri.getValue();
        String name = uri.hasOutputFile() ? uri.getOutputFile() : basename(value);
        if (name.isEmpty() || name.contains("..")) {
            throw new FetchException("Failed to fetch '" + value + "': cannot tell a file name for it");
        }
        Path target = sandbox.resolve(name).normalize();
        if (!target.startsWith(sandbox)) {
            throw new FetchException("Failed to fetch '" + value + "': output file escapes the sandbox");
        }
        try {
            Files.createDirectories(target.getParent());
            if (uri.getCache() && cacheDir != null) {
                linkFromCache(uri, name, target);
            } else {
                fetchInto(uri, target);
            }
            if (uri.getExecutable()) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else if (uri.getExtract()) {
                extract(target, sandbox);
            }
        } catch (IOException e) {
            throw new FetchException("Failed to fetch '" + value + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("Failed to fetch '" + value + "': interrupted");
        }
    }

    /** Fetches into the cache once (one fetch per URI at a time), then hard-links (or copies) into the sandbox. */
    private void linkFromCache(CommandInfo.URI uri, String name, Path target)
            throws IOException, InterruptedException, FetchException {
        String key = cacheKey(uri.getValue());
        Path cached = cacheDir.resolve(key).resolve(name);
        synchronized (cacheLocks.computeIfAbsent(key, k -> new Object())) {
            if (!Files.isRegularFile(cached)) {
                Files.createDirectories(cached.getParent());
                Path partial = cached.resolveSibling(name + ".partial");
                fetchInto(uri, partial);
                Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, cached);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(cached, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String cacheKey(String uri) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(uri.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private void fetchInto(CommandInfo.URI uri, Path target) throws IOException, InterruptedException, FetchException {
        String value = uri.getValue();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            download(value, target);
        } else if (lower.startsWith("file://") || value.startsWith("/")) {
            Path source = lower.startsWith("file://") ? Path.of(URI.create(value)) : Path.of(value);
            if (!Files.isRegularFile(source)) {
                throw new FetchException("Failed to fetch '" + value + "': no such file");
            }
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            throw new FetchException("Failed to fetch '" + value + "': unsupported URI (use http, https, file or an absolute path)");
        }
    }

    private void download(String url, Path target) throws IOException, InterruptedException, FetchException {
        HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofFile(target));
        if (response.statusCode() / 100 != 2) {
            Files.deleteIfExists(target);
            throw new FetchException("Failed to fetch '" + url + "': HTTP " + response.statusCode());
        }
    }

    private static void extract(Path file, Path sandbox) throws IOException, InterruptedException, FetchException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".tar.bz2")
                || name.endsWith(".tbz2") || name.endsWith(".tar.xz") || name.endsWith(".txz")) {
            Process tar = new ProcessBuilder("tar", "-C", sandbox.toString(), "-xf", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw new FetchException("Failed to extract '" + file.getFileName() + "': " + out.strip());
            }
        } else if (name.endsWith(".zip")) {
            unzip(file, sandbox);
        } else if (name.endsWith(".gz")) {
            Path out = sandbox.resolve(file.getFileName().toString().replaceAll("(?i)\\.gz$", ""));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void unzip(Path file, Path sandbox) throws IOException, FetchException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path out = sandbox.resolve(entry.getName()).normalize();
                if (!out.startsWith(sandbox)) {
                    throw new FetchException("Failed to extract '" + file.getFileName() + "': entry "
                            + entry.getName() + " escapes the sandbox");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (OutputStream o = Files.newOutputStream(out)) {
                        zip.transferTo(o);
                    }
                }
            }
        }
    }

    private static String basename(String value) {
        String path = value;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    /** A URI that could not be fetched; the message names it and says why. */
    public static final class FetchException extends Exception {
        public FetchException(String message) {
            super(message);
        }
    }
}
