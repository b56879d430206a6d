package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * The gzip directives ({@code gzip}, {@code gzip_types}, {@code gzip_min_length}, {@code gzip_comp_level},
 * {@code gzip_vary}, {@code gzip_proxied}, {@code gzip_http_version}, {@code gzip_disable}, {@code gzip_buffers},
 * {@code gzip_static}) with nginx's checks, messages and merge.
 */
public final class GzipConfModule implements ConfModule<GzipConfModule.Builder, GzipConf> {
    public static final GzipConfModule INSTANCE = new GzipConfModule();
    /** What {@code gzip_disable msie6} stands for (nginx tests the User-Agent for MSIE 4 to 6 without a regex). */
    static final String MSIE6 = "MSIE [4-6]\\.";

    private GzipConfModule() {
    }

    /** One level while binding; the list-valued settings are null until a directive of this level sets them. */
    public static final class Builder {
        final Slot<Boolean> gzip = new Slot<>();
        Set<String> types;
        boolean anyType;
        final Slot<Long> minLength = new Slot<>();
        final Slot<Integer> compLevel = new Slot<>();
        final Slot<Boolean> vary = new Slot<>();
        EnumSet<GzipConf.Proxied> proxied;
        final Slot<Boolean> http10 = new Slot<>();
        List<Pattern> disable;
        final Slot<Boolean> buffers = new Slot<>();
        final Slot<GzipConf.Static> gzipStatic = new Slot<>();
    }

    @Override
    public Class<GzipConf> confType() {
        return GzipConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("gzip", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).gzip), HTTP, SERVER, LOCATION,
                        Context.IF_LOCATION),
                simple("gzip_types", Arity.ONE_OR_MORE, GzipConfModule::types, HTTP, SERVER, LOCATION),
                simple("gzip_min_length", Arity.TAKE1, Slots.size(s -> s.module(INSTANCE).minLength),
                        HTTP, SERVER, LOCATION),
                simple("gzip_comp_level", Arity.TAKE1, GzipConfModule::compLevel, HTTP, SERVER, LOCATION),
                simple("gzip_vary", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).vary), HTTP, SERVER, LOCATION),
                simple("gzip_proxied", Arity.ONE_OR_MORE, GzipConfModule::proxied, HTTP, SERVER, LOCATION),
                simple("gzip_http_version", Arity.TAKE1, Slots.oneOf(s -> s.module(INSTANCE).http10,
                        Map.of("1.0", true, "1.1", false)), HTTP, SERVER, LOCATION),
                simple("gzip_disable", Arity.ONE_OR_MORE, GzipConfModule::disable, HTTP, SERVER, LOCATION),
                simple("gzip_buffers", Arity.TAKE2, GzipConfModule::buffers, HTTP, SERVER, LOCATION),
                simple("gzip_static", Arity.TAKE1, Slots.oneOf(s -> s.module(INSTANCE).gzipStatic,
                        Map.of("off", GzipConf.Static.OFF, "on", GzipConf.Static.ON,
                                "always", GzipConf.Static.ALWAYS)), HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public GzipConf merge(Builder b, GzipConf parent) {
        return new GzipConf(b.gzip.orElse(parent.gzip()),
                b.types != null ? b.types : parent.types(), b.types != null ? b.anyType : parent.anyType(),
                b.minLength.orElse(parent.minLength()), b.compLevel.orElse(parent.compLevel()),
                b.vary.orElse(parent.vary()), b.proxied != null ? b.proxied : parent.proxied(),
                b.http10.orElse(parent.http10()), b.disable != null ? b.disable : parent.disable(),
                b.gzipStatic.orElse(parent.gzipStatic()));
    }

    @Override
    public GzipConf defaults(Path prefix) {
        return GzipConf.DEFAULTS;
    }

    /**
     * nginx's {@code ngx_http_types_slot}: the level's list starts with {@code text/html}, several directives add
     * up, {@code *} means any type, and a list after {@code *} is a duplicate.
     */
    private static void types(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        if (b.anyType) {
            throw Errors.directive(d, "is duplicate");
        }
        if (b.types == null) {
            b.types = new LinkedHashSet<>(List.of(GzipConf.TEXT_HTML));
        }
        for (String t : d.args()) {
            if (t.equals("*")) {
                b.anyType = true;
                return;
            }
            b.types.add(t.toLowerCase(Locale.ROOT)); // nginx warns about a duplicate type and goes on
        }
    }

    /** {@code ngx_conf_set_num_slot} bounded by {@code ngx_conf_check_num_bounds} 1..9. */
    private static void compLevel(Directive d, Scope s) throws ConfigException {
        Slot<Integer> slot = s.module(INSTANCE).compLevel;
        slot.checkUnset(d);
        int v = Values.intNumber(d.args().getFirst());
        if (v < 0) {
            throw Errors.directive(d, "invalid number");
        }
        if (v < 1 || v > 9) {
            throw Errors.at(d, "value must be between 1 and 9");
        }
        slot.set(v, d);
    }

    /** {@code ngx_conf_set_bitmask_slot}: every word adds its bit; an unknown word is an invalid value. */
    private static void proxied(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        if (b.proxied == null) {
            b.proxied = EnumSet.noneOf(GzipConf.Proxied.class);
        }
        outer:
        for (String w : d.args()) {
            for (GzipConf.Proxied p : GzipConf.Proxied.values()) {
                if (p.word().equals(w)) {
                    b.proxied.add(p);
                    continue outer;
                }
            }
            throw Errors.at(d, "invalid value " + Errors.q(w));
        }
    }

    /** nginx's {@code ngx_http_gzip_disable}: caseless regexes that add up; {@code msie6} is MSIE 4 to 6. */
    private static void disable(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        if (b.disable == null) {
            b.disable = new ArrayList<>();
        }
        for (String re : d.args()) {
            String regex = re.equals("msie6") ? MSIE6 : re;
            if (re.equals("degradation")) {
                throw Errors.at(d, "\"degradation\" is not supported in \"gzip_disable\"");
            }
            try {
                b.disable.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw Errors.at(d, "pcre2_compile() failed: " + e.getDescription() + " in " + Errors.q(regex)
                        + (e.getIndex() >= 0 ? " at " + Errors.q(regex.substring(Math.min(e.getIndex(),
                        regex.length()))) : ""));
            }
        }
    }

    /** {@code ngx_conf_set_bufs_slot}: checked like nginx, then ignored (Pier sizes its own deflate buffers). */
    private static void buffers(Directive d, Scope s) throws ConfigException {
        Slot<Boolean> slot = s.module(INSTANCE).buffers;
        slot.checkUnset(d);
        long num = Values.number(d.args().get(0));
        long size = Values.size(d.args().get(1));
        if (num <= 0 || size <= 0) {
            throw Errors.directive(d, "invalid value");
        }
        slot.set(true, d);
    }
}
