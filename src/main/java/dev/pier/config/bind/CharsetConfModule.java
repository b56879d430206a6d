package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code charset CHARSET|off} and {@code charset_types MIME...|*} with nginx's merge: a level's own list replaces
 * the inherited one, and {@code text/html} is always included. {@code source_charset}, {@code override_charset} and
 * {@code charset_map} (recoding) are not implemented.
 */
public final class CharsetConfModule implements ConfModule<CharsetConfModule.Builder, CharsetConf> {
    public static final CharsetConfModule INSTANCE = new CharsetConfModule();

    private CharsetConfModule() {
    }

    /** One level while binding; {@code types} is null until this level's {@code charset_types}. */
    public static final class Builder {
        final Slot<Optional<String>> charset = new Slot<>();
        Set<String> types;
        boolean anyType;
    }

    @Override
    public Class<CharsetConf> confType() {
        return CharsetConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("charset", Arity.TAKE1, CharsetConfModule::charset, HTTP, SERVER, LOCATION,
                        Context.IF_LOCATION),
                simple("charset_types", Arity.ONE_OR_MORE, CharsetConfModule::types, HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public CharsetConf merge(Builder b, CharsetConf parent) {
        return b.types == null ? new CharsetConf(b.charset.orElse(parent.charset()), parent.types(), parent.anyType())
                : new CharsetConf(b.charset.orElse(parent.charset()), b.types, b.anyType);
    }

    @Override
    public CharsetConf defaults(Path prefix) {
        return CharsetConf.DEFAULTS;
    }

    private static void charset(Directive d, Scope s) throws ConfigException {
        String v = d.args().getFirst();
        if (v.isEmpty() || !v.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';' && c != '"' && c != ',')) {
            throw Errors.at(d, "invalid value " + Errors.q(v) + " in \"charset\" directive");
        }
        s.module(INSTANCE).charset.set(v.equals("off") ? Optional.empty() : Optional.of(v), d);
    }

    /** {@code ngx_http_types_slot}: several lines in one level add up; a type listed twice is nginx's warning. */
    private static void types(Directive d, Scope s) {
        Builder b = s.module(INSTANCE);
        if (b.types == null) {
            b.types = new HashSet<>(Set.of("text/html"));
        }
        for (String t : d.args()) {
            if (t.equals("*")) {
                b.anyType = true;
            } else {
                b.types.add(t.toLowerCase(Locale.ROOT));
            }
        }
    }
}
