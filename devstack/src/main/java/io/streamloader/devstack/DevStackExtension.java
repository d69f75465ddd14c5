package io.streamloader.devstack;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the process-wide services from {@link DevStack} into test constructors, test methods and lifecycle
 * methods by parameter type. A service starts when the first parameter of its type is resolved, so a class that
 * asks for {@link KafkaService} only never starts Elasticsearch. Use it via {@link DevStackTest} or
 * {@code @ExtendWith(DevStackExtension.class)}.
 */
public final class DevStackExtension implements ParameterResolver {

    private static final Map<Class<?>, Supplier<? extends DevService>> SERVICES = Map.of(
            KafkaService.class, DevStack::kafka,
            ElasticsearchService.class, DevStack::elasticsearch,
            PostgresService.class, DevStack::postgres,
            S3Service.class, DevStack::s3,
            MongoService.class, DevStack::mongo);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return SERVICES.containsKey(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SERVICES.get(parameter.getParameter().getType()).get();
    }
}
