package dev.pier.http;

import java.util.Map;
import java.util.function.Function;

/**
 * Variables a module contributes (nginx's {@code preconfiguration} adding to {@code ngx_http_variables}): named ones
 * and prefix families such as {@code upstream_http_} whose getter is made from the rest of the name once, when a
 * template is compiled. Every name must also be listed for the binder ({@code ConfModule.variables()} or
 * {@code VariableCatalog.CORE}). Listed in {@link StandardModules#variableSources()}.
 */
public interface VariableSource {

    /** Full names (lower case, without {@code $}) to getters. */
    Map<String, VariableGetter> variables();

    /** Prefixes ending in {@code _} to a factory taking the rest of the name (lower case, non-empty). */
    default Map<String, Function<String, VariableGetter>> prefixes() {
        return Map.of();
    }
}
