package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** {@code autoindex}, {@code autoindex_exact_size}, {@code autoindex_localtime}, {@code autoindex_format}. */
public final class AutoindexModule implements ConfModule<AutoindexModule.Builder, AutoindexConf> {
    public static final AutoindexModule INSTANCE = new AutoindexModule();


    private AutoindexModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Boolean> autoindex = new Slot<>();
        final Slot<Boolean> exactSize = new Slot<>();
        final Slot<Boolean> localtime = new Slot<>();
        final Slot<AutoindexConf.Format> format = new Slot<>();
    }

    @Override
    public Class<AutoindexConf> confType() {
        return AutoindexConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("autoindex", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).autoindex),
                        HTTP, SERVER, LOCATION),
                simple("autoindex_exact_size", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).exactSize),
                        HTTP, SERVER, LOCATION),
                simple("autoindex_localtime", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).localtime),
                        HTTP, SERVER, LOCATION),
                simple("autoindex_format", Arity.TAKE1, Slots.oneOf(s -> s.module(INSTANCE).format,
                        Map.of("html", AutoindexConf.Format.HTML, "xml", AutoindexConf.Format.XML,
                                "json", AutoindexConf.Format.JSON, "jsonp", AutoindexConf.Format.JSONP)),
                        HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public AutoindexConf merge(Builder b, AutoindexConf parent) {
        return new AutoindexConf(b.autoindex.orElse(parent.autoindex()), b.exactSize.orElse(parent.exactSize()),
                b.localtime.orElse(parent.localtime()), b.format.orElse(parent.format()));
    }

    @Override
    public AutoindexConf defaults(Path prefix) {
        return AutoindexConf.DEFAULTS;
    }
}
