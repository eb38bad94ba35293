package io.remit.scheduler.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something an operator would want to see happen, as {@code GET /v1/events} sends it.
 *
 * @param id   increases by one per event of this scheduler process (the SSE {@code id:})
 * @param type e.g. {@code instance.healthy}; see {@link EventFormat} for the list
 * @param at   when the scheduler noticed it
 * @param data the event's subject: {@code service}, {@code taskId}, {@code agentId}...
 */
public record Event(long id, String type, Instant at, Map<String, Object> data) {
}
