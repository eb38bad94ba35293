package io.remit.localcluster.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.remit.localcluster.http.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@code /files/read} and {@code /files/browse} (and their old {@code .json}
 * names), answering as a Mesos agent's files endpoints do: the same parameters, JSON, status
 * codes and messages (checked against Mesos's {@code src/files/files.cpp}; see
 * {@link SandboxPaths} for which paths are served).
 *
 * <ul>
 *   <li>{@code read?path=P&offset=O&length=L}: {@code {"data": ..., "offset": O}}, at most 16 pages
 *       (64 KiB) from byte {@code O}; no {@code offset} or {@code offset=-1} answers the file's
 *       size as {@code offset} with no data; an offset at or past the end answers no data. No
 *       length (or {@code -1}) reads to the end, up to the cap.</li>
 *   <li>{@code browse?path=P}: an array of {@code {gid, mode, mtime, nlink, path, size, uid}},
 *       sorted by name; a file browses as an empty array.</li>
 *   <li>400: no {@code path}, an offset or length that is not a number or below -1, a directory
 *       read, a path that leads out of its sandbox; 404 with no body: a path that names nothing.</li>
 *   <li>{@code jsonp=F} wraps the answer as {@code F(...);} in {@code text/javascript}.</li>
 * </ul>
 *
 * One knowing difference: Mesos puts the file's bytes into the JSON string as they are; here they
 * are read as UTF-8, so bytes that are not UTF-8 arrive as U+FFFD.
 */
final class FilesEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FilesEndpoint.class);
    /** Mesos caps a read at 16 pages. */
    static final int MAX_READ = 16 * 4096;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern HEX = Pattern.compile("-?0[xX][0-9a-fA-F]+");

    private final SandboxPaths paths;

    FilesEndpoint(SandboxPaths paths) {
        this.paths = paths;
    }

    void read(HttpExchange ex) throws IOException {
        Http.guarded(ex, LOG, e -> {
            if (!exactPath(e, "/files/read")) {
                return;
            }
            Map<String, String> q = query(e);
            String path = q.get("path");
            if (path == null || path.isEmpty()) {
                Http.text(e, 400, "Expecting 'path=value' in query.\n");
                return;
            }
            long offset = -1;
            if (q.containsKey("offset")) {
                Long parsed = number(q.get("offset"));
                if (parsed == null) {
                    Http.text(e, 400, "Failed to parse offset: Failed to convert '" + q.get("offset") + "' to number.\n");
                    return;
                }
                if (parsed < -1) {
                    Http.text(e, 400, "Negative offset provided: " + parsed + ".\n");
                    return;
                }
                offset = parsed;
            }
            Long length = null;
            if (q.containsKey("length")) {
                Long parsed = number(q.get("length"));
                if (parsed == null) {
                    Http.text(e, 400, "Failed to parse length: Failed to convert '" + q.get("length") + "' to number.\n");
                    return;
                }
                if (parsed < -1) {
                    Http.text(e, 400, "Negative length provided: " + parsed + ".\n");
                    return;
                }
                if (parsed > -1) {
                    length = parsed;
                }
            }
            long from = offset;
            if (offset == -1) {
                from = 0;
                length = 0L;
            }
            Optional<Path> file = resolved(e, path);
            if (file == null) {
                return;
            }
            if (file.isEmpty()) {
                Http.empty(e, 404);
                return;
            }
            if (Files.isDirectory(file.get())) {
                Http.text(e, 400, "Cannot read a directory.\n");
                return;
            }
            long size;
            String data = "";
            try (FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.READ)) {
                size = ch.size();
                long want = length == null ? size - from : length;
                if (from < size && want > 0) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(want, MAX_READ));
                    ch.position(from);
                    while (buf.hasRemaining() && ch.read(buf) > 0) {
                        // keeps reading until the cap or the end of the file
                    }
                    data = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                }
            } catch (IOException failure) {
                Http.text(e, 500, "Failed to open file at '" + file.get() + "': " + failure.getMessage() + ".\n");
                return;
            }
            ObjectNode body = Http.JSON.createObjectNode();
            body.put("data", data);
            body.put("offset", offset == -1 ? size : offset);
            ok(e, q, body);
        });
    }

    void browse(HttpExchange ex) throws IOException {
        Http.guarded(ex, LOG, e -> {
            if (!exactPath(e, "/files/browse")) {
                return;
            }
            Map<String, String> q = query(e);
            String path = q.get("path");
            if (path == null || path.isEmpty()) {
                Http.text(e, 400, "Expecting 'path=value' in query.\n");
                return;
            }
            Optional<Path> dir = resolved(e, path);
            if (dir == null) {
                return;
            }
            if (dir.isEmpty()) {
                Http.empty(e, 404);
                return;
            }
            TreeMap<String, ObjectNode> entries = new TreeMap<>();
            if (Files.isDirectory(dir.get())) {
                try (var list = Files.list(dir.get())) {
                    for (Path entry : (Iterable<Path>) list::iterator) {
                        ObjectNode info = fileInfo(join(path, entry.getFileName().toString()), entry);
                        if (info != null) {
                            entries.put(entry.getFileName().toString(), info);
                        }
                    }
                }
            }
            ArrayNode listing = Http.JSON.createArrayNode();
            entries.values().forEach(listing::add);
            ok(e, q, listing);
        });
    }

    /** The resolved path, or null after answering 400 for a path out of its sandbox. */
    private Optional<Path> resolved(HttpExchange ex, String path) throws IOException {
        try {
            return paths.resolve(path);
        } catch (SandboxPaths.Inaccessible e) {
            Http.text(ex, 400, e.getMessage() + ".\n");
            return null;
        }
    }

    /** What Mesos's {@code FileInfo} model holds, from {@code stat} (links followed); null if stat fails. */
    private static ObjectNode fileInfo(String virtualPath, Path entry) {
        PosixFileAttributes a;
        int nlink;
        try {
            a = Files.readAttributes(entry, PosixFileAttributes.class);
            nlink = ((Number) Files.getAttribute(entry, "unix:nlink")).intValue();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        char type = a.isDirectory() ? 'd' : a.isRegularFile() ? '-' : a.isSymbolicLink() ? 'l' : a.isOther() ? 'p' : '-';
        ObjectNode n = Http.JSON.createObjectNode();
        n.put("gid", a.group().getName());
        n.put("mode", type + PosixFilePermissions.toString(a.permissions()));
        n.put("mtime", a.lastModifiedTime().toMillis() / 1000);
        n.put("nlink", nlink);
        n.put("path", virtualPath);
        n.put("size", a.size());
        n.put("uid", a.owner().getName());
        return n;
    }

    private static String join(String dir, String name) {
        String d = dir;
        while (d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d + "/" + name;
    }

    private static void ok(HttpExchange ex, Map<String, String> q, Object json) throws IOException {
        String jsonp = q.get("jsonp");
        if (jsonp == null) {
            Http.json(ex, 200, json);
            return;
        }
        byte[] body = (jsonp + "(" + Http.JSON.writeValueAsString(json) + ");").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/javascript");
        Http.send(ex, 200, body);
    }

    /** The path served is {@code name} or {@code name.json}; anything longer is not found. */
    private static boolean exactPath(HttpExchange ex, String name) throws IOException {
        String p = ex.getRequestURI().getPath();
        if (p.equals(name) || p.equals(name + ".json")) {
            try (InputStream in = ex.getRequestBody()) {
                in.readNBytes(64 * 1024);
            }
            return true;
        }
        Http.empty(ex, 404);
        return false;
    }

    /** A number as Mesos's {@code numify} reads one (decimal or hexadecimal), or null. */
    static Long number(String text) {
        try {
            if (DECIMAL.matcher(text).matches()) {
                return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            }
            if (HEX.matcher(text).matches()) {
                boolean negative = text.startsWith("-");
                long v = Long.parseLong(text.substring(negative ? 3 : 2), 16);
                return negative ? -v : v;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** The query's parameters, decoded; the last of repeated ones wins. */
    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                out.put(k, v);
            }
        }
        return out;
    }
}
