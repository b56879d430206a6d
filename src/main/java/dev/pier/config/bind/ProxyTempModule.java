package dev.pier.config.bind;

import java.nio.file.Path;
import java.util.List;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@link ProxyTempConf}'s directives, rows of nginx's {@code ngx_http_proxy_commands}:
 * {@code proxy_max_temp_file_size SIZE} ({@code ngx_conf_set_size_slot}, so no {@code g} suffix, as nginx) and
 * {@code proxy_temp_file_write_size SIZE}. nginx's merge checks of both against the buffer sizes are not made:
 * Pier's buffers are not fixed-size slabs, so any positive write size works.
 */
public final class ProxyTempModule implements ConfModule<ProxyTempModule.Builder, ProxyTempConf> {
    public static final ProxyTempModule INSTANCE = new ProxyTempModule();

    private ProxyTempModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Long> maxTempFileSize = new Slot<>();
        final Slot<Long> tempFileWriteSize = new Slot<>();
    }

    private static Builder b(Scope s) {
        return s.module(INSTANCE);
    }

    private static final List<DirectiveSpec> SPECS = List.of(
            simple("proxy_max_temp_file_size", Arity.TAKE1, Slots.size(s -> b(s).maxTempFileSize),
                    HTTP, SERVER, LOCATION),
            simple("proxy_temp_file_write_size", Arity.TAKE1, Slots.size(s -> b(s).tempFileWriteSize),
                    HTTP, SERVER, LOCATION));

    @Override
    public Class<ProxyTempConf> confType() {
        return ProxyTempConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return SPECS;
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public ProxyTempConf merge(Builder b, ProxyTempConf p) {
        return new ProxyTempConf(b.maxTempFileSize.orElse(p.maxTempFileSize()),
                b.tempFileWriteSize.orElse(p.tempFileWriteSize()));
    }

    @Override
    public ProxyTempConf defaults(Path prefix) {
        return ProxyTempConf.DEFAULT;
    }

    @Override
    public String toString() {
        return "proxy temp files";
    }
}
