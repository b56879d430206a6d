package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

/**
 * A scalar setting of one level that may be set once, like nginx's {@code NGX_CONF_UNSET} fields: setting it twice in
 * the same level is {@code "root" directive is duplicate}. Unset slots take the parent's value when levels merge.
 */
public final class Slot<T> {
    private T value;

    public boolean isSet() {
        return value != null;
    }

    public T get() {
        return value;
    }

    public T orElse(T fallback) {
        return value != null ? value : fallback;
    }

    /** Fails with nginx's {@code is duplicate} when this level already has a value. */
    public void checkUnset(Directive d) throws ConfigException {
        if (value != null) {
            throw Errors.directive(d, "is duplicate");
        }
    }

    public void set(T v, Directive d) throws ConfigException {
        checkUnset(d);
        value = v;
    }
}
