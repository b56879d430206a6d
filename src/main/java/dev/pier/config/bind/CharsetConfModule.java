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
 * ngx_http_charset_module's directives: {@code charset CHARSET|off} and {@code charset_types MIME...|*} with nginx's
 * merge (a level's own list replaces the inherited one, {@code text/html} is always included), {@code source_charset},
 * {@code override_charset} and the http block's {@code charset_map}s. Recoding uses the JDK's charsets; a
 * {@code charset_map} overrides them for its pair and is the only way between charsets the JDK does not know.
 */
public final class CharsetConfModule implements ConfModule<CharsetConfModule.Builder, CharsetConf> {
    public static final CharsetConfModule INSTANCE = new CharsetConfModule();

    private CharsetConfModule() {
    }

    /** One level while binding; {@code types} is null until this level's {@code charset_types}. */
    public static final class Builder {
        final Slot<Optional<String>> charset = new Slot<>();
        final Slot<Optional<String>> sourceCharset = new Slot<>();
        final Slot<Boolean> overrideCharset = new Slot<>();
        Set<String> types;
        boolean anyType;
        /** The http level's charset_map blocks; null elsewhere. */
        List<CharsetMap> maps;
        /** Where this level set charset or source_charset, for the merge's check. */
        dev.pier.config.Source source;
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
                simple("charset_types", Arity.ONE_OR_MORE, CharsetConfModule::types, HTTP, SERVER, LOCATION),
                simple("source_charset", Arity.TAKE1, CharsetConfModule::sourceCharset, HTTP, SERVER, LOCATION,
                        Context.IF_LOCATION),
                simple("override_charset", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).overrideCharset),
                        HTTP, SERVER, LOCATION, Context.IF_LOCATION),
                DirectiveSpec.block("charset_map", Arity.TAKE2, CharsetMapParser::charsetMap, HTTP));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public CharsetConf merge(Builder b, CharsetConf parent) throws ConfigException {
        Optional<String> charset = b.charset.orElse(parent.charset());
        Optional<String> source = b.sourceCharset.orElse(parent.sourceCharset());
        List<CharsetMap> maps = b.maps != null ? b.maps : parent.maps();
        CharsetConf c = new CharsetConf(charset, b.types == null ? parent.types() : b.types,
                b.types == null ? parent.anyType() : b.anyType, source,
                b.overrideCharset.orElse(parent.overrideCharset()), maps);
        if (b.source != null && charset.isPresent() && source.isPresent()
                && !charset.get().equalsIgnoreCase(source.get()) && c.map(charset.get(), source.get()).isEmpty()
                && !(known(charset.get()) && known(source.get()))) {
            // nginx's postconfiguration check, for the pairs it knows at load time
            throw new ConfigException("no \"charset_map\" between the charsets \"" + source.get() + "\" and \""
                    + charset.get() + "\"", b.source);
        }
        return c;
    }

    /** Whether the JDK can recode {@code name}. */
    public static boolean known(String name) {
        try {
            return java.nio.charset.Charset.isSupported(name);
        } catch (java.nio.charset.IllegalCharsetNameException e) {
            return false;
        }
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
        s.module(INSTANCE).source = d.source();
    }

    private static void sourceCharset(Directive d, Scope s) throws ConfigException {
        String v = d.args().getFirst();
        if (v.isEmpty() || !v.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';' && c != '"' && c != ',')) {
            throw Errors.at(d, "invalid value " + Errors.q(v) + " in \"source_charset\" directive");
        }
        s.module(INSTANCE).sourceCharset.set(v.equals("off") ? Optional.empty() : Optional.of(v), d);
        s.module(INSTANCE).source = d.source();
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
