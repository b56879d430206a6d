package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;

/**
 * Holds {@link KeepaliveConf}; it has no directive of its own: {@code keepalive_timeout} (in
 * {@link HttpCoreDirectives}) fills its builder when given a second argument.
 */
public final class KeepaliveModule implements ConfModule<KeepaliveModule.Builder, KeepaliveConf> {
    public static final KeepaliveModule INSTANCE = new KeepaliveModule();

    private KeepaliveModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Long> headerSeconds = new Slot<>();
    }

    @Override
    public Class<KeepaliveConf> confType() {
        return KeepaliveConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of();
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public KeepaliveConf merge(Builder b, KeepaliveConf parent) {
        return new KeepaliveConf(b.headerSeconds.orElse(parent.headerSeconds()));
    }

    @Override
    public KeepaliveConf defaults(Path prefix) {
        return KeepaliveConf.DEFAULTS;
    }
}
