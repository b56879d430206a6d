package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.List;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@link BodyTempConf}'s directives: {@code client_body_buffer_size SIZE}, {@code client_body_temp_path PATH
 * [L1 [L2 [L3]]]} and {@code proxy_temp_path PATH [L1 [L2 [L3]]]}. Temp files are named as nginx names them
 * (a ten-digit number, in level directories made of its last digits) and unlinked as soon as they are opened, so
 * the directory never fills with names.
 */
public final class BodyTempModule implements ConfModule<BodyTempModule.Builder, BodyTempConf> {
    public static final BodyTempModule INSTANCE = new BodyTempModule();

    private BodyTempModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        final Slot<Long> bufferSize = new Slot<>();
        final Slot<Path> clientBodyTemp = new Slot<>();
        final Slot<Path> proxyTemp = new Slot<>();
        final Slot<List<Integer>> clientBodyTempLevels = new Slot<>();
        final Slot<List<Integer>> proxyTempLevels = new Slot<>();
    }

    private static Builder b(Scope s) {
        return s.module(INSTANCE);
    }

    private static final List<DirectiveSpec> SPECS = List.of(
            simple("client_body_buffer_size", Arity.TAKE1, Slots.size(s -> b(s).bufferSize), HTTP, SERVER, LOCATION),
            simple("client_body_temp_path", Arity.TAKE1234, (d, s) -> tempPath(d, s, b(s).clientBodyTemp,
                    b(s).clientBodyTempLevels), HTTP, SERVER, LOCATION),
            simple("proxy_temp_path", Arity.TAKE1234, (d, s) -> tempPath(d, s, b(s).proxyTemp,
                    b(s).proxyTempLevels), HTTP, SERVER, LOCATION));

    /** {@code ngx_conf_set_path_slot}: a path and up to three level widths of 1 or 2 digits. */
    private static void tempPath(Directive d, Scope s, Slot<Path> slot, Slot<List<Integer>> levels)
            throws ConfigException {
        List<Integer> widths = new java.util.ArrayList<>();
        for (String level : d.args().subList(1, d.args().size())) {
            if (!level.equals("1") && !level.equals("2")) {
                throw Errors.directive(d, "invalid value");
            }
            widths.add(Integer.parseInt(level));
        }
        slot.set(s.prefix().resolve(d.args().getFirst()), d);
        levels.set(List.copyOf(widths), d);
    }

    @Override
    public Class<BodyTempConf> confType() {
        return BodyTempConf.class;
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
    public BodyTempConf merge(Builder b, BodyTempConf p) {
        // a path and its levels come from the same line, so they are inherited together
        return new BodyTempConf(b.bufferSize.orElse(p.clientBodyBufferSize()),
                b.clientBodyTemp.orElse(p.clientBodyTempPath()), b.proxyTemp.orElse(p.proxyTempPath()),
                b.clientBodyTemp.isSet() ? b.clientBodyTempLevels.get() : p.clientBodyTempLevels(),
                b.proxyTemp.isSet() ? b.proxyTempLevels.get() : p.proxyTempLevels());
    }

    @Override
    public BodyTempConf defaults(Path prefix) {
        return new BodyTempConf(16 * 1024, prefix.resolve("client_body_temp"), prefix.resolve("proxy_temp"));
    }

    @Override
    public String toString() {
        return "body temp files";
    }
}
