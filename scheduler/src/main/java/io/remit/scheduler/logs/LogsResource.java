package io.remit.scheduler.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.http.ApiException;
import io.remit.scheduler.api.ErrorBodies;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.TaskRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/instances/{taskId}/logs}: a page of an instance's stdout or stderr, or, with
 * {@code follow=true}, Server-Sent Events carrying each new line as the instance writes it.
 *
 * <p>Parameters: {@code stream} ({@code stdout}, the default, or {@code stderr}); {@code offset}
 * (a byte offset; without it, the last {@code length} bytes); {@code length} (bytes, 1 to
 * 1 MiB, default 64 KiB). Every bad one is a 400 naming it; an unknown instance 404.
 *
 * <p>Follow: events {@code log} ({@code id} the next offset, so a client that reconnects with
 * {@code Last-Event-ID} goes on where it was; data {@code {offset, nextOffset, data}}, whole
 * lines), a {@code : keep-alive} comment when idle, and {@code end} ({@code {taskId, state,
 * message}}) once the instance has ended and all it wrote has been sent; then the stream closes
 * (a browser's EventSource must be closed on {@code end}, or it reconnects). The agent is polled
 * every {@link #POLL}. {@code format=text} answers the bytes alone as {@code text/plain} (in
 * follow mode a plain stream that ends with the instance), for command-line use.
 */
@Path("/v1/instances/{taskId}/logs")
public final class LogsResource {

    static final long DEFAULT_LENGTH = 64 * 1024;
    static final long MAX_LENGTH = 1024 * 1024;
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

    private final InstanceLogs logs;
    private final ObjectMapper json;
    private final CountDownLatch stopping = new CountDownLatch(1);

    public LogsResource(InstanceLogs logs, ObjectMapper json) {
        this.logs = logs;
        this.json = json;
    }

    /** Ends every open follow stream (the server is stopping). */
    public void close() {
        stopping.countDown();
    }

    @GET
    public Response logs(@PathParam("taskId") String taskId, @QueryParam("stream") String stream,
                         @QueryParam("offset") String offset, @QueryParam("length") String length,
                         @QueryParam("follow") String follow, @QueryParam("format") String format) {
        InstanceLogs.Stream which = InstanceLogs.Stream.parse(stream);
        Long from = offset == null || offset.isEmpty() ? null : whole(offset, "offset", 0, Long.MAX_VALUE);
        long size = length == null || length.isEmpty() ? DEFAULT_LENGTH : whole(length, "length", 1, MAX_LENGTH);
        boolean following = flag(follow);
        boolean text = text(format);
        if (following) {
            // Served by followFilter() before Jersey, whose buffered output would hold events back.
            throw bad("follow", "a follow stream is served only to GET " + "/v1/instances/{taskId}/logs?follow=true");
        }
        InstanceLogs.Located at = logs.locate(taskId, which);
        boolean live = logs.live(taskId);
        InstanceLogs.Page page;
        try {
            page = from == null ? logs.tail(at, size) : logs.range(at, from, size, false);
        } catch (IOException e) {
            throw new ApiException(503, "the agent of instance '" + taskId + "' does not answer: " + e.getMessage(),
                    List.of());
        }
        if (page.missing() && !live) {
            throw new ApiException(404, "the sandbox of instance '" + taskId + "' is gone (the agent removed it)",
                    List.of());
        }
        if (text) {
            return Response.ok(page.data(), "text/plain; charset=utf-8").build();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskId", taskId);
        out.put("service", at.task().serviceId());
        out.put("stream", which.name().toLowerCase());
        out.put("file", which.file());
        out.put("state", at.task().state().name().toLowerCase());
        out.put("ended", !live);
        out.put("offset", page.offset());
        out.put("nextOffset", page.nextOffset());
        out.put("size", page.size());
        out.put("data", page.data());
        return Response.ok(out, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * A servlet filter (map it to {@code /v1/instances/*}) that serves
     * {@code GET /v1/instances/{taskId}/logs?follow=true} itself, writing each event straight to
     * the servlet's stream and flushing it; every other request goes on to Jersey.
     */
    public jakarta.servlet.Filter followFilter() {
        return new jakarta.servlet.Filter() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                                 jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
                jakarta.servlet.http.HttpServletRequest req = (jakarta.servlet.http.HttpServletRequest) request;
                jakarta.servlet.http.HttpServletResponse resp = (jakarta.servlet.http.HttpServletResponse) response;
                String path = req.getRequestURI();
                if (!"GET".equals(req.getMethod()) || !"true".equals(req.getParameter("follow"))
                        || !path.startsWith("/v1/instances/") || !path.endsWith("/logs")) {
                    chain.doFilter(request, response);
                    return;
                }
                String rawId = path.substring("/v1/instances/".length(), path.length() - "/logs".length());
                if (rawId.isEmpty() || rawId.contains("/")) {
                    chain.doFilter(request, response);
                    return;
                }
                String taskId = java.net.URLDecoder.decode(rawId, StandardCharsets.UTF_8);
                InstanceLogs.Located at;
                Long from;
                long size;
                boolean text;
                try {
                    text = text(req.getParameter("format"));
                    InstanceLogs.Stream which = InstanceLogs.Stream.parse(req.getParameter("stream"));
                    String offset = req.getParameter("offset");
                    String length = req.getParameter("length");
                    String lastEventId = req.getHeader("Last-Event-ID");
                    from = offset == null || offset.isEmpty() ? null : whole(offset, "offset", 0, Long.MAX_VALUE);
                    size = length == null || length.isEmpty() ? DEFAULT_LENGTH : whole(length, "length", 1, MAX_LENGTH);
                    if (lastEventId != null && !lastEventId.isBlank()) {
                        from = whole(lastEventId.strip(), "Last-Event-ID", 0, Long.MAX_VALUE);
                    }
                    at = logs.locate(taskId, which);
                } catch (ApiException e) {
                    resp.setStatus(e.status());
                    resp.setContentType("application/json");
                    json.writeValue(resp.getOutputStream(), ErrorBodies.Body.of(e));
                    return;
                }
                resp.setStatus(200);
                resp.setContentType(text ? "text/plain" : "text/event-stream");
                resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
                resp.setHeader("Cache-Control", "no-cache");
                resp.setHeader("X-Accel-Buffering", "no");
                try {
                    follow(at, from, size, text, resp.getOutputStream());
                } catch (IOException e) {
                    // the client went away
                }
            }
        };
    }

    private void follow(InstanceLogs.Located at, Long from, long tailLength, boolean text, OutputStream out)
            throws IOException {
        String taskId = at.task().taskId();
        if (!text) {
            write(out, "retry: 2000\n\n");
        }
        long pos;
        try {
            pos = from != null ? from : logs.tail(at, tailLength).offset();
        } catch (IOException e) {
            pos = 0;
        }
        long idleSince = System.nanoTime();
        while (stopping.getCount() > 0) {
            boolean live = logs.live(taskId);
            InstanceLogs.Page page;
            try {
                page = logs.range(at, pos, MAX_LENGTH, live);
            } catch (IOException e) {
                page = null; // the agent did not answer: try again, unless the instance is over
            }
            if (page != null && !page.data().isEmpty() && text) {
                write(out, page.data());
                pos = page.nextOffset();
                continue;
            }
            if (page != null && !page.data().isEmpty()) {
                write(out, "id: " + page.nextOffset() + "\nevent: log\ndata: " + json.writeValueAsString(Map.of(
                        "offset", page.offset(), "nextOffset", page.nextOffset(), "data", page.data())) + "\n\n");
                pos = page.nextOffset();
                idleSince = System.nanoTime();
                continue;
            }
            if (page != null && page.size() < pos) {
                pos = 0; // the executor rotated the file: the new one starts at 0
                continue;
            }
            if (!live && text) {
                return;
            }
            if (!live) {
                TaskRecord last = logs.find(taskId).orElse(at.task());
                Map<String, Object> end = new LinkedHashMap<>();
                end.put("taskId", taskId);
                end.put("state", last.state().name().toLowerCase());
                end.put("message", last.message() == null ? "" : last.message());
                write(out, "event: end\ndata: " + json.writeValueAsString(end) + "\n\n");
                return;
            }
            if (!text && System.nanoTime() - idleSince > KEEP_ALIVE.toNanos()) {
                write(out, ": keep-alive\n\n");
                idleSince = System.nanoTime();
            }
            try {
                stopping.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes and flushes; a client that went away makes this throw, which ends the stream. */
    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static long whole(String text, String field, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw bad(field, "must be a whole number, not '" + text + "'");
        }
        if (v < min || v > max) {
            throw bad(field, "must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    private static boolean flag(String text) {
        if (text == null || text.isEmpty() || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw bad("follow", "must be true or false, not '" + text + "'");
    }

    /** {@code format}: json (the default) or text (the bytes alone; in follow mode, without SSE framing). */
    private static boolean text(String format) {
        if (format == null || format.isEmpty() || format.equals("json")) {
            return false;
        }
        if (format.equals("text")) {
            return true;
        }
        throw bad("format", "must be json or text, not '" + format + "'");
    }

    private static ApiException bad(String field, String message) {
        return new ApiException(400, field + " " + message, List.of(new Violation(field, message)));
    }
}
