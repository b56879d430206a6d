package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** {@code etag}, {@code if_modified_since} and {@code expires} with nginx's checks and messages. */
public final class StaticConfModule implements ConfModule<StaticConfModule.Builder, StaticConf> {
    public static final StaticConfModule INSTANCE = new StaticConfModule();

    private StaticConfModule() {
    }

    /** One level while binding; {@code expires} holds {@code Optional.empty()} for {@code off}. */
    public static final class Builder {
        final Slot<Boolean> etag = new Slot<>();
        final Slot<StaticConf.IfModifiedSince> ims = new Slot<>();
        final Slot<Optional<StaticConf.Expires>> expires = new Slot<>();
        final Slot<Integer> maxRanges = new Slot<>();
    }

    @Override
    public Class<StaticConf> confType() {
        return StaticConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("etag", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).etag), HTTP, SERVER, LOCATION),
                simple("if_modified_since", Arity.TAKE1, Slots.oneOf(s -> s.module(INSTANCE).ims,
                        Map.of("off", StaticConf.IfModifiedSince.OFF, "exact", StaticConf.IfModifiedSince.EXACT,
                                "before", StaticConf.IfModifiedSince.BEFORE)), HTTP, SERVER, LOCATION),
                simple("expires", Arity.TAKE12, StaticConfModule::expires, HTTP, SERVER, LOCATION,
                        Context.IF_LOCATION),
                simple("max_ranges", Arity.TAKE1, Slots.number(s -> s.module(INSTANCE).maxRanges),
                        HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public StaticConf merge(Builder b, StaticConf parent) {
        return new StaticConf(b.etag.orElse(parent.etag()), b.ims.orElse(parent.ifModifiedSince()),
                b.expires.orElse(parent.expires()), b.maxRanges.orElse(parent.maxRanges()));
    }

    @Override
    public StaticConf defaults(Path prefix) {
        return StaticConf.DEFAULTS;
    }

    /** {@code ngx_http_headers_expires}; {@code @TIME} (time of day) is not supported. */
    private static void expires(Directive d, Scope s) throws ConfigException {
        Slot<Optional<StaticConf.Expires>> slot = s.module(INSTANCE).expires;
        if (slot.isSet()) {
            throw Errors.directive(d, "is duplicate");
        }
        List<String> a = d.args();
        boolean modified = false;
        String v = a.getFirst();
        if (a.size() == 2) {
            if (!v.equals("modified")) {
                throw Errors.at(d, "invalid value " + Errors.q(v));
            }
            modified = true;
            v = a.get(1);
        }
        Optional<StaticConf.Expires> e;
        switch (v) {
            case "off" -> e = Optional.empty();
            case "epoch" -> e = Optional.of(new StaticConf.Expires(StaticConf.Expires.Kind.EPOCH, 0, false));
            case "max" -> e = Optional.of(new StaticConf.Expires(StaticConf.Expires.Kind.MAX, 0, false));
            default -> {
                boolean minus = v.startsWith("-");
                String t = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
                long sec = Values.sec(t);
                if (sec < 0 || t.startsWith("@")) {
                    throw Errors.at(d, "invalid value " + Errors.q(v));
                }
                e = Optional.of(new StaticConf.Expires(StaticConf.Expires.Kind.TIME, minus ? -sec : sec, modified));
            }
        }
        slot.set(e, d);
    }
}
