package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code error_page}, {@code recursive_error_pages}, {@code internal}, {@code try_files}, {@code alias},
 * {@code log_not_found}, {@code server_tokens} (ngx_http_core_module), with nginx's checks and messages.
 */
public final class CoreLocModule implements ConfModule<CoreLocModule.Builder, CoreLocConf> {
    public static final CoreLocModule INSTANCE = new CoreLocModule();

    private CoreLocModule() {
    }

    /** One level while binding. */
    public static final class Builder {
        List<ErrorPage> errorPages;
        final Slot<Boolean> recursiveErrorPages = new Slot<>();
        boolean internal;
        List<String> tryFiles;
        String alias;
        final Slot<Boolean> logNotFound = new Slot<>();
        final Slot<Boolean> serverTokens = new Slot<>();
    }

    @Override
    public Class<CoreLocConf> confType() {
        return CoreLocConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("error_page", Arity.TWO_OR_MORE, CoreLocModule::errorPage, HTTP, SERVER, LOCATION,
                        Context.IF_LOCATION),
                simple("recursive_error_pages", Arity.FLAG,
                        Slots.flag(s -> s.module(INSTANCE).recursiveErrorPages), HTTP, SERVER, LOCATION),
                simple("internal", Arity.NOARGS, CoreLocModule::internal, LOCATION),
                simple("try_files", Arity.TWO_OR_MORE, CoreLocModule::tryFiles, SERVER, LOCATION),
                simple("alias", Arity.TAKE1, CoreLocModule::alias, LOCATION),
                simple("log_not_found", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).logNotFound),
                        HTTP, SERVER, LOCATION),
                simple("server_tokens", Arity.TAKE1, CoreLocModule::serverTokens, HTTP, SERVER, LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public CoreLocConf merge(Builder b, CoreLocConf parent) {
        return new CoreLocConf(b.errorPages != null ? b.errorPages : parent.errorPages(),
                b.recursiveErrorPages.orElse(parent.recursiveErrorPages()), b.internal,
                b.tryFiles != null ? b.tryFiles : List.of(), Optional.ofNullable(b.alias),
                b.logNotFound.orElse(parent.logNotFound()), b.serverTokens.orElse(parent.serverTokens()));
    }

    @Override
    public CoreLocConf defaults(Path prefix) {
        return CoreLocConf.DEFAULTS;
    }

    /** {@code ngx_http_core_error_page}. */
    private static void errorPage(Directive d, Scope s) throws ConfigException {
        List<String> a = d.args();
        String target = a.getLast();
        int last = a.size() - 1;
        int override = ErrorPage.KEEP;
        String maybe = a.get(last - 1);
        if (maybe.startsWith("=")) {
            last--;
            if (maybe.length() == 1) {
                override = ErrorPage.FROM_TARGET;
            } else {
                long code = Values.number(maybe.substring(1));
                if (code < 0 || code > 999) {
                    throw Errors.at(d, "invalid value " + Errors.q(maybe));
                }
                override = (int) code;
            }
        }
        if (last < 1) {
            throw Errors.at(d, "invalid number of arguments in \"error_page\" directive");
        }
        List<Integer> codes = new ArrayList<>();
        for (String c : a.subList(0, last)) {
            long code = Values.number(c);
            if (code < 0) {
                throw Errors.at(d, "invalid value " + Errors.q(c));
            }
            if (code < 300 || code > 599) {
                throw Errors.at(d, "value " + Errors.q(c) + " must be between 300 and 599");
            }
            codes.add((int) code);
        }
        VariableCatalog.check(target, d.source());
        Builder b = s.module(INSTANCE);
        if (b.errorPages == null) {
            b.errorPages = new ArrayList<>();
        }
        b.errorPages.add(new ErrorPage(codes, override, target));
    }

    private static void internal(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        if (b.internal) {
            throw Errors.directive(d, "is duplicate");
        }
        b.internal = true;
    }

    /** {@code ngx_http_core_try_files}: the last argument may be {@code =CODE} (0..999). */
    private static void tryFiles(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        if (b.tryFiles != null) {
            throw Errors.directive(d, "is duplicate");
        }
        String fallback = d.args().getLast();
        if (fallback.startsWith("=")) {
            long code = Values.number(fallback.substring(1));
            if (code < 0 || code > 999) {
                throw Errors.at(d, "invalid code " + Errors.q(fallback.substring(1)));
            }
        }
        for (String f : d.args()) {
            VariableCatalog.check(f, d.source());
        }
        b.tryFiles = List.copyOf(d.args());
    }

    /** {@code ngx_http_core_root} for alias: not with {@code root} in one location, not in a named location. */
    private static void alias(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        if (b.alias != null) {
            throw Errors.directive(d, "is duplicate");
        }
        if (s.location().root.isSet()) {
            throw Errors.at(d, "\"alias\" directive is duplicate, \"root\" directive was specified earlier");
        }
        if (s.location().match == LocationMatch.NAMED) {
            throw Errors.at(d, "\"alias\" directive cannot be used inside the named location");
        }
        String a = d.args().getFirst();
        if (a.indexOf('\0') >= 0) { // would fail every request's Path.of (as the other path arguments, ConfigBinder)
            throw Errors.at(d, "invalid path " + Errors.q(a.replace("\0", "\\0")) + " in \"alias\" directive");
        }
        VariableCatalog.check(a, d.source());
        // ngx_conf_full_name, as for root: a relative alias (not starting with a variable) is under the prefix
        if (!a.startsWith("/") && !a.startsWith("$")) {
            a = s.prefix().resolve(a) + (a.endsWith("/") ? "/" : "");
        }
        b.alias = a;
    }

    /** Whether this level set {@code alias} (the root setter refuses both in one location). */
    static boolean hasAlias(Scope s) {
        return s.context() == Context.LOCATION && s.module(INSTANCE).alias != null;
    }

    private static void serverTokens(Directive d, Scope s) throws ConfigException {
        Slot<Boolean> slot = s.module(INSTANCE).serverTokens;
        slot.checkUnset(d);
        String v = d.args().getFirst();
        switch (v) {
            case "on", "build" -> slot.set(true, d);
            case "off" -> slot.set(false, d);
            default -> throw Errors.at(d, "invalid value " + Errors.q(v));
        }
    }
}
