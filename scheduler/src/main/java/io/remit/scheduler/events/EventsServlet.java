package io.remit.scheduler.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/events}: the scheduler's events as Server-Sent Events. Each is
 * {@code id: N / event: <type> / data: {"id":N,"type":..,"at":..,"data":{..}}}. A client that
 * reconnects with {@code Last-Event-ID} (browsers do it by themselves) gets what it missed, from a
 * bounded history; {@code ?since=0} asks for the whole history kept. When the history no longer
 * reaches back to the client's id, an {@code event: gap} comes first: reload the state, then go on.
 * Filters: {@code ?service=fx} and {@code ?type=instance.} (a prefix). A comment line every 15 s
 * keeps idle connections open through proxies.
 */
public final class EventsServlet extends HttpServlet {

    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final transient EventJournal journal;
    private final transient ObjectMapper json;

    public EventsServlet(EventJournal journal, ObjectMapper json) {
        this.journal = journal;
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long last;
        try {
            last = startId(req);
        } catch (NumberFormatException e) {
            resp.setStatus(400);
            resp.setContentType("application/json");
            resp.getWriter().write("{\"code\":400,\"message\":\"Last-Event-ID and since must be whole numbers\","
                    + "\"details\":[{\"field\":\"Last-Event-ID\",\"reason\":\"is not a whole number\"}]}");
            return;
        }
        String service = req.getParameter("service");
        String typePrefix = req.getParameter("type");
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Accel-Buffering", "no");
        PrintWriter out = resp.getWriter();
        out.write("retry: 2000\n\n");
        out.flush();
        try {
            while (!out.checkError() && !journal.isClosed()) {
                EventJournal.Page page = journal.await(last, KEEP_ALIVE_MILLIS);
                if (page.events().isEmpty()) {
                    out.write(": keep-alive\n\n");
                } else {
                    if (page.gap()) {
                        out.write("event: gap\ndata: {\"after\":" + last + ",\"oldest\":" + page.events().get(0).id() + "}\n\n");
                    }
                    for (Event e : page.events()) {
                        last = e.id();
                        if (matches(e, service, typePrefix)) {
                            out.write("id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + json.writeValueAsString(e) + "\n\n");
                        }
                    }
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long startId(HttpServletRequest req) {
        String header = req.getHeader("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return Long.parseLong(header.strip());
        }
        String since = req.getParameter("since");
        if (since != null && !since.isBlank()) {
            return Long.parseLong(since.strip());
        }
        return journal.lastId();
    }

    private static boolean matches(Event e, String service, String typePrefix) {
        if (typePrefix != null && !typePrefix.isBlank() && !e.type().startsWith(typePrefix)) {
            return false;
        }
        if (service != null && !service.isBlank()) {
            Object s = e.data().get("service");
            return service.equals(s);
        }
        return true;
    }
}
