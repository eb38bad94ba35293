package io.remit.scheduler.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/events}: the scheduler's events as Server-Sent Events. Each is
 * {@code id: N / event: <type> / data: {"id":N,"type":..,"at":..,"data":{..}}}. A client that
 * reconnects with {@code Last-Event-ID} (browsers do it by themselves) gets what it missed, from a
 * bounded history; {@code ?since=0} asks for the whole history kept. When the history no longer
 * reaches back to the client's id, an {@code event: gap} comes first: reload the state, then go on.
 * Filters: {@code ?service=fx} and {@code ?type=instance.} (a prefix). {@code ?recent=N} (at most
 * 500) starts with the newest N matching events already kept, then goes on live, so a page can show
 * recent history and stay current without missing what happens in between. A comment line every
 * 15 s keeps idle connections open through proxies.
 */
public final class EventsServlet extends HttpServlet {

    private static final long KEEP_ALIVE_MILLIS = 15_000;
    static final int MAX_RECENT = 500;

    private final transient EventJournal journal;
    private final transient ObjectMapper json;

    public EventsServlet(EventJournal journal, ObjectMapper json) {
        this.journal = journal;
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long last;
        int recent;
        try {
            last = startId(req);
            recent = recent(req);
        } catch (NumberFormatException e) {
            resp.setStatus(400);
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            resp.getWriter().write(io.remit.scheduler.api.ErrorBodies.of(req.getRequestURI(), 400,
                    "Last-Event-ID, since and recent must be whole numbers (recent at most " + MAX_RECENT + ")",
                    List.of(new io.remit.scheduler.spec.Violation(e.getMessage(), "is not a whole number in range"))));
            return;
        }
        String service = req.getParameter("service");
        String typePrefix = req.getParameter("type");
        List<Event> backlog = List.of();
        if (recent > 0) {
            // The newest kept events that match, and the live stream from the last of them on.
            List<Event> kept = journal.recent(Integer.MAX_VALUE);
            List<Event> matching = new ArrayList<>();
            for (Event e : kept) {
                if (matches(e, service, typePrefix)) {
                    matching.add(e);
                }
            }
            backlog = matching.subList(Math.max(0, matching.size() - recent), matching.size());
            last = kept.isEmpty() ? journal.lastId() : kept.get(kept.size() - 1).id();
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Accel-Buffering", "no");
        PrintWriter out = resp.getWriter();
        out.write("retry: 2000\n\n");
        for (Event e : backlog) {
            out.write("id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + json.writeValueAsString(e) + "\n\n");
        }
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

    private static int recent(HttpServletRequest req) {
        String recent = req.getParameter("recent");
        if (recent == null || recent.isBlank()) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(recent.strip());
        } catch (NumberFormatException e) {
            throw new NumberFormatException("recent");
        }
        if (n < 0 || n > MAX_RECENT) {
            throw new NumberFormatException("recent");
        }
        return n;
    }

    private long startId(HttpServletRequest req) {
        String header = req.getHeader("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return wholeNumber(header, "Last-Event-ID");
        }
        String since = req.getParameter("since");
        if (since != null && !since.isBlank()) {
            return wholeNumber(since, "since");
        }
        return journal.lastId();
    }

    private static long wholeNumber(String text, String field) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new NumberFormatException(field);
        }
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
