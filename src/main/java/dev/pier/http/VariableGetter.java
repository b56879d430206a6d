package dev.pier.http;

/**
 * Computes one variable's value for a request, on its event loop. {@code null} is nginx's "not found": templates
 * render it as the empty string, the access log as {@code -}.
 */
@FunctionalInterface
public interface VariableGetter {
    String get(Exchange ex);
}
