package io.remit.scheduler.logs;

import io.remit.http.ApiException;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.mesos.TaskInfoFactory;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.TaskRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An instance's log, read from its sandbox through the agent's {@code /files/read}, so the same
 * code works on real Mesos: the file is
 * {@code /frameworks/<framework>/executors/remit-executor.<task>/runs/latest/service.stdout}
 * (or {@code service.stderr}), which the executor fills with what the service writes. An
 * instance is found among the live tasks and the recently ended ones (the leader keeps the last
 * 200; a standby sees ended ones only until the leader deletes their records); its log is
 * readable as long as the agent keeps its sandbox. Thread-safe.
 */
public final class InstanceLogs {

    /** Reads are cut into pieces of this many bytes, the most a Mesos agent answers at once. */
    static final int AGENT_PAGE = 64 * 1024;

    /** What the API's {@code stream} names: the service's standard output or error, as the executor keeps them. */
    public enum Stream {
        STDOUT("service.stdout"), STDERR("service.stderr");

        private final String file;

        Stream(String file) {
            this.file = file;
        }

        public String file() {
            return file;
        }

        /** The stream named {@code name} ({@code null}: stdout). */
        public static Stream parse(String name) {
            if (name == null || name.isEmpty() || name.equals("stdout")) {
                return STDOUT;
            }
            if (name.equals("stderr")) {
                return STDERR;
            }
            throw new ApiException(400, "stream must be stdout or stderr",
                    List.of(new Violation("stream", "must be stdout or stderr, not '" + name + "'")));
        }
    }

    /** Where an instance's log is: the task as last known, its agent and the file's path there. */
    public record Located(TaskRecord task, Stream stream, URI agent, String path) {
    }

    /**
     * Bytes {@code offset} (inclusive) to {@code nextOffset} (exclusive) of the file, whose size
     * was {@code size} when read; {@code missing} when the file is not (yet) there.
     */
    public record Page(long offset, long nextOffset, long size, String data, boolean missing) {
    }

    private final StateView state;
    private final Supplier<Optional<String>> frameworkId;
    private final AgentFiles files;

    public InstanceLogs(StateView state, Supplier<Optional<String>> frameworkId, AgentFiles files) {
        this.state = state;
        this.frameworkId = frameworkId;
        this.files = files;
    }

    /**
     * Finds the instance and its agent.
     *
     * @throws ApiException 404 for an instance never known or ended too long ago, 409 for one
     *                      not yet on an agent, 503 when neither the master nor etcd answers
     */
    public Located locate(String taskId, Stream stream) {
        TaskRecord task = find(taskId).orElseThrow(() -> new ApiException(404, "instance '" + taskId
                + "' not found: it never ran, or it ended too long ago for the scheduler to remember it",
                List.of(new Violation("taskId", "no such instance"))));
        if (task.agentId() == null || task.agentId().isBlank()) {
            throw new ApiException(409, "instance '" + taskId + "' is not on an agent yet; its log starts when it is",
                    List.of());
        }
        String framework;
        try {
            framework = frameworkId.get().orElseThrow(() -> new ApiException(503,
                    "the scheduler has no Mesos framework id yet", List.of()));
        } catch (RuntimeException e) {
            if (e instanceof ApiException a) {
                throw a;
            }
            throw new ApiException(503, "cannot read the framework id from etcd: " + e.getMessage(), List.of());
        }
        URI agent;
        try {
            agent = files.agent(task.agentId()).orElseThrow(() -> new ApiException(404, "the agent of instance '"
                    + taskId + "' (" + task.agentId() + ") is gone, and its sandbox with it", List.of()));
        } catch (IOException e) {
            throw new ApiException(503, "the Mesos master does not answer: " + e.getMessage(), List.of());
        }
        String path = "/frameworks/" + framework + "/executors/" + TaskInfoFactory.executorIdOf(taskId)
                + "/runs/latest/" + stream.file();
        return new Located(task, stream, agent, path);
    }

    /** Whether the instance still runs (or is about to): its log may grow. */
    public boolean live(String taskId) {
        TaskRecord t = state.snapshot().tasks().get(taskId);
        return t != null && !t.state().isTerminal();
    }

    /** The task as now known (live or recently ended). */
    public Optional<TaskRecord> find(String taskId) {
        EngineSnapshot s = state.snapshot();
        TaskRecord live = s.tasks().get(taskId);
        if (live != null) {
            return Optional.of(live);
        }
        List<TaskRecord> ended = s.recentlyEnded();
        for (int i = ended.size() - 1; i >= 0; i--) {
            if (ended.get(i).taskId().equals(taskId)) {
                return Optional.of(ended.get(i));
            }
        }
        return Optional.empty();
    }

    /** The last {@code length} bytes, starting at a line's beginning unless that is the file's start. */
    public Page tail(Located at, long length) throws IOException {
        Optional<Long> size = files.size(at.agent(), at.path());
        if (size.isEmpty()) {
            return new Page(0, 0, 0, "", true);
        }
        long start = Math.max(0, size.get() - length);
        Page p = range(at, start, size.get() - start, false);
        if (start == 0 || p.data().isEmpty()) {
            return p;
        }
        int nl = p.data().indexOf('\n');
        if (nl < 0 || nl == p.data().length() - 1) {
            return p; // nothing would remain without the cut line
        }
        String rest = p.data().substring(nl + 1);
        return new Page(p.nextOffset() - bytes(rest), p.nextOffset(), p.size(), rest, false);
    }

    /**
     * Up to {@code length} bytes from {@code offset}. When more follows (or {@code wholeLines}),
     * the page ends after its last line break, so a page never ends inside a line or a character;
     * with {@code wholeLines} a line not yet ended is left for later. An offset past the end of a
     * file that is now shorter (rotated by the executor) reads nothing, with {@code size} telling.
     */
    public Page range(Located at, long offset, long length, boolean wholeLines) throws IOException {
        StringBuilder data = new StringBuilder();
        long pos = offset;
        long left = length;
        boolean more = false;
        while (left > 0) {
            long ask = Math.min(left, AGENT_PAGE);
            Optional<AgentFiles.Chunk> c = files.read(at.agent(), at.path(), pos, ask);
            if (c.isEmpty()) {
                return new Page(offset, offset, 0, "", true);
            }
            String piece = c.get().data();
            if (piece.isEmpty()) {
                break;
            }
            long n = bytes(piece);
            data.append(piece);
            pos += n;
            left -= n;
            if (n < ask) {
                break;
            }
            more = left <= 0;
        }
        String text = data.toString();
        if (more || wholeLines) {
            int nl = text.lastIndexOf('\n');
            if (nl >= 0) {
                text = text.substring(0, nl + 1);
            } else if (wholeLines) {
                text = "";
            }
        }
        long size = files.size(at.agent(), at.path()).orElse(0L);
        return new Page(offset, offset + bytes(text), size, text, false);
    }

    static long bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
