package io.remit.scheduler.auth;

import io.remit.scheduler.api.ErrorBodies;
import io.remit.scheduler.spec.Violation;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Set;

/**
 * Access control for everything on the application port: a request without valid credentials
 * gets 401, a viewer's change gets 403, both as {@code {code, message, details}} JSON, and
 * nothing happens. Open without credentials: the artifacts the Mesos fetcher downloads, the web
 * UI's static files (it asks for credentials itself) and {@code /ping}. Every change attempted
 * goes to the {@link AuditLog}: refused ones (401, 403) with the reason, the others with the
 * status they were answered.
 */
public final class AuthFilter implements Filter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final boolean enabled;
    private final Supplier<Credentials> credentials;
    private final SignInLimiter limiter;
    private final Clock clock;
    private final AuditLog audit;

    /**
     * @param credentials the users now (re-read as their file changes: {@link CredentialsSource})
     * @param limiter     counts wrong and expired credentials per client address
     */
    public AuthFilter(boolean enabled, Supplier<Credentials> credentials, SignInLimiter limiter, Clock clock,
                      AuditLog audit) {
        this.enabled = enabled;
        this.credentials = credentials;
        this.limiter = limiter;
        this.clock = clock;
        this.audit = audit;
    }

    /** Paths anyone may GET. */
    static boolean open(String path) {
        return path.startsWith("/artifacts/") || path.equals("/ping") || path.equals("/openapi.json") || path.equals("/") || path.startsWith("/ui/")
                || path.equals("/favicon.ico");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getRequestURI();
        String method = request.getMethod();
        boolean change = !SAFE.contains(method);
        Caller caller;
        if (!enabled) {
            caller = Caller.ANONYMOUS_OPERATOR;
        } else if (!change && open(path)) {
            caller = null;
        } else {
            String client = request.getRemoteAddr();
            Optional<Duration> blocked = limiter.blockedFor(client);
            if (blocked.isPresent()) {
                long seconds = Math.max(1, blocked.get().toSeconds() + (blocked.get().toMillisPart() > 0 ? 1 : 0));
                String message = "too many failed sign-ins from " + client + "; try again in " + seconds + " s";
                if (change) {
                    audit.record(null, method, withQuery(request), 429, message);
                }
                response.setHeader("Retry-After", Long.toString(seconds));
                deny(response, path, 429, message, "Authorization", "refused for now, whatever it holds");
                return;
            }
            Credentials.Outcome outcome = credentials.get().check(request.getHeader("Authorization"), clock.instant());
            if (!(outcome instanceof Credentials.Outcome.Known known)) {
                // No WWW-Authenticate: Basic for the UI's own fetches, or the browser would pop its dialog.
                if (request.getHeader("X-Requested-With") == null) {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"remit\", Bearer realm=\"remit\"");
                }
                String message;
                String reason;
                if (outcome instanceof Credentials.Outcome.Expired expired) {
                    message = "the credentials of " + expired.name() + " expired at " + expired.at();
                    reason = "has expired: ask an operator for new credentials";
                } else if (outcome instanceof Credentials.Outcome.Unknown) {
                    message = "the credentials are not valid";
                    reason = "names no known token or user and password";
                } else {
                    message = "credentials are required";
                    reason = "is missing: send Authorization: Bearer <token> or basic auth";
                }
                if (!(outcome instanceof Credentials.Outcome.Missing)) {
                    limiter.failed(client);
                }
                if (change) {
                    audit.record(null, method, withQuery(request), 401, message);
                }
                deny(response, path, 401, message, "Authorization", reason);
                return;
            }
            caller = known.caller();
            if (change && !caller.role().mayChange()) {
                String message = caller.name() + " is a viewer and may not change anything";
                audit.record(caller, method, withQuery(request), 403, message);
                deny(response, path, 403, message, "role", "viewer: read-only; an operator may change things");
                return;
            }
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        try {
            chain.doFilter(req, res);
        } finally {
            if (change && caller != null) {
                audit.record(caller, method, withQuery(request), response.getStatus());
            }
        }
    }

    private static String withQuery(HttpServletRequest request) {
        return request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    }

    /**
     * The refusal as {@code {code, message, details: [{path, message}]}}; on the Marathon API
     * ({@code /v2/}) in Marathon's shape {@code {message, details: [{path, errors}]}}, which
     * Marathon clients parse (marathon-client fails on details without {@code errors}).
     */
    private static void deny(HttpServletResponse response, String path, int status, String message, String field,
                             String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(ErrorBodies.of(path, status, message, List.of(new Violation(field, reason))));
    }
}
