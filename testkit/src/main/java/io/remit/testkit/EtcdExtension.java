package io.remit.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one private etcd per test class, started before its first test and stopped after its
 * last. Test methods, constructors and lifecycle methods receive it as an {@link EtcdServer}
 * parameter.
 *
 * <pre>{@code
 * @ExtendWith(EtcdExtension.class)
 * class RegistryIT {
 *     @Test void putsAndGets(EtcdServer etcd) { ... etcd.endpoint() ... }
 * }
 * }</pre>
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EtcdExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).getOrComputeIfAbsent("etcd", k -> EtcdServer.start(), EtcdServer.class);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EtcdServer server = context.getStore(NS).remove("etcd", EtcdServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EtcdServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Stores are hierarchical: a method's context sees what beforeAll put in its class's.
        return context.getStore(NS).getOrComputeIfAbsent("etcd", k -> EtcdServer.start(), EtcdServer.class);
    }
}
