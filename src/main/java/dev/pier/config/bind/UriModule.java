package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** {@code merge_slashes}, {@code absolute_redirect}, {@code port_in_redirect}, {@code server_name_in_redirect}. */
public final class UriModule implements ConfModule<UriModule.Builder, UriConf> {
    public static final UriModule INSTANCE = new UriModule();

    private UriModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Boolean> mergeSlashes = new Slot<>();
        final Slot<Boolean> absoluteRedirect = new Slot<>();
        final Slot<Boolean> portInRedirect = new Slot<>();
        final Slot<Boolean> serverNameInRedirect = new Slot<>();
    }

    @Override
    public Class<UriConf> confType() {
        return UriConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("merge_slashes", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).mergeSlashes), HTTP, SERVER),
                simple("absolute_redirect", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).absoluteRedirect),
                        HTTP, SERVER, LOCATION),
                simple("port_in_redirect", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).portInRedirect),
                        HTTP, SERVER, LOCATION),
                simple("server_name_in_redirect", Arity.FLAG,
                        Slots.flag(s -> s.module(INSTANCE).serverNameInRedirect), HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public UriConf merge(Builder b, UriConf parent) {
        return new UriConf(b.mergeSlashes.orElse(parent.mergeSlashes()),
                b.absoluteRedirect.orElse(parent.absoluteRedirect()), b.portInRedirect.orElse(parent.portInRedirect()),
                b.serverNameInRedirect.orElse(parent.serverNameInRedirect()));
    }

    @Override
    public UriConf defaults(Path prefix) {
        return UriConf.DEFAULTS;
    }
}
