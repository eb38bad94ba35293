package io.remit.kit.routing;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * For every request: answers which version served it ({@value #VERSION_HEADER}), and makes the
 * request's {@link Cohort} key current while it is handled: the {@value Cohort#HEADER} header, or
 * where the request enters without one, the first header an experiment takes keys from. (A key in
 * a JSON body field is read later, by {@link CohortFieldFilter}, once Jersey has the body.)
 */
public final class CohortFilter implements Filter {

    /** The version of the instance that answered, on every response of a kit service. */
    public static final String VERSION_HEADER = "X-Remit-Version";

    private final String version;
    private final RoutingRules rules;

    public CohortFilter(String version, RoutingRules rules) {
        this.version = version;
        this.rules = rules;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        ((HttpServletResponse) res).setHeader(VERSION_HEADER, version);
        String key = request.getHeader(Cohort.HEADER);
        if (key == null) {
            for (String header : rules.cohortHeaders()) {
                key = request.getHeader(header);
                if (key != null) {
                    break;
                }
            }
        }
        try (Cohort.Scope ignored = Cohort.open(key)) {
            chain.doFilter(req, res);
        }
    }
}
