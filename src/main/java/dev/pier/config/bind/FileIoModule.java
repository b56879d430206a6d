package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * {@code disable_symlinks}, {@code open_file_cache}, {@code open_file_cache_valid}, {@code open_file_cache_min_uses},
 * {@code open_file_cache_errors}, {@code sendfile}, {@code tcp_nopush}, {@code limit_rate} and
 * {@code limit_rate_after} with nginx's checks and messages (limit_rate takes no variables here).
 */
public final class FileIoModule implements ConfModule<FileIoModule.Builder, FileIoConf> {
    public static final FileIoModule INSTANCE = new FileIoModule();

    private FileIoModule() {
    }

    /** One level while binding; {@code cache} holds {@code Optional.empty()} for {@code off}. */
    public static final class Builder {
        final Slot<FileIoConf.Symlinks> symlinks = new Slot<>();
        Optional<String> from = Optional.empty();
        final Slot<Optional<FileIoConf.OpenFileCache>> cache = new Slot<>();
        final Slot<Duration> valid = new Slot<>();
        final Slot<Integer> minUses = new Slot<>();
        final Slot<Boolean> errors = new Slot<>();
        final Slot<Boolean> sendfile = new Slot<>();
        final Slot<Boolean> nopush = new Slot<>();
        final Slot<Long> limitRate = new Slot<>();
        final Slot<Long> limitRateAfter = new Slot<>();
    }

    @Override
    public Class<FileIoConf> confType() {
        return FileIoConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("disable_symlinks", Arity.TAKE12, FileIoModule::disableSymlinks, HTTP, SERVER, LOCATION),
                simple("open_file_cache", Arity.TAKE12, FileIoModule::openFileCache, HTTP, SERVER, LOCATION),
                simple("open_file_cache_valid", Arity.TAKE1, Slots.msec(s -> s.module(INSTANCE).valid),
                        HTTP, SERVER, LOCATION),
                simple("open_file_cache_min_uses", Arity.TAKE1, Slots.number(s -> s.module(INSTANCE).minUses),
                        HTTP, SERVER, LOCATION),
                simple("open_file_cache_errors", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).errors),
                        HTTP, SERVER, LOCATION),
                simple("sendfile", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).sendfile), HTTP, SERVER, LOCATION,
                        Context.IF_LOCATION),
                simple("tcp_nopush", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).nopush), HTTP, SERVER, LOCATION),
                simple("limit_rate", Arity.TAKE1, Slots.size(s -> s.module(INSTANCE).limitRate),
                        HTTP, SERVER, LOCATION, Context.IF_LOCATION),
                simple("limit_rate_after", Arity.TAKE1, Slots.size(s -> s.module(INSTANCE).limitRateAfter),
                        HTTP, SERVER, LOCATION, Context.IF_LOCATION));
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public FileIoConf merge(Builder b, FileIoConf parent) {
        boolean own = b.symlinks.isSet();
        return new FileIoConf(b.symlinks.orElse(parent.symlinks()), own ? b.from : parent.symlinksFrom(),
                b.cache.orElse(parent.openFileCache()), b.valid.orElse(parent.valid()),
                b.minUses.orElse(parent.minUses()), b.errors.orElse(parent.cacheErrors()),
                b.sendfile.orElse(parent.sendfile()), b.nopush.orElse(parent.tcpNopush()),
                b.limitRate.orElse(parent.limitRate()), b.limitRateAfter.orElse(parent.limitRateAfter()));
    }

    @Override
    public FileIoConf defaults(Path prefix) {
        return FileIoConf.DEFAULTS;
    }

    /** {@code ngx_http_disable_symlinks}: {@code off|on|if_not_owner [from=PART]}, in either order. */
    private static void disableSymlinks(Directive d, Scope s) throws ConfigException {
        Builder b = s.module(INSTANCE);
        b.symlinks.checkUnset(d);
        FileIoConf.Symlinks mode = null;
        String from = null;
        for (String a : d.args()) {
            if (a.startsWith("from=")) {
                if (from != null) {
                    throw Errors.at(d, "duplicate parameters " + Errors.q(a));
                }
                from = a.substring(5);
                continue;
            }
            FileIoConf.Symlinks m = Map.of("off", FileIoConf.Symlinks.OFF, "on", FileIoConf.Symlinks.ON,
                    "if_not_owner", FileIoConf.Symlinks.IF_NOT_OWNER).get(a);
            if (m == null) {
                throw Errors.at(d, "invalid parameter " + Errors.q(a));
            }
            if (mode != null) {
                throw Errors.at(d, "duplicate parameters " + Errors.q(a));
            }
            mode = m;
        }
        if (mode == null) {
            throw Errors.at(d, "\"off\", \"on\" or \"if_not_owner\" parameter expected");
        }
        if (from != null && mode == FileIoConf.Symlinks.OFF) {
            throw Errors.at(d, "\"from=\" cannot be used with \"off\" parameter");
        }
        b.from = Optional.ofNullable(from).filter(f -> !f.isEmpty());
        b.symlinks.set(mode, d);
    }

    /** {@code ngx_http_core_open_file_cache}: {@code off} or {@code max=N [inactive=TIME]}. */
    private static void openFileCache(Directive d, Scope s) throws ConfigException {
        Slot<Optional<FileIoConf.OpenFileCache>> slot = s.module(INSTANCE).cache;
        if (slot.isSet()) {
            throw Errors.directive(d, "is duplicate");
        }
        int max = 0;
        long inactive = 60_000;
        boolean off = false;
        for (String a : d.args()) {
            if (a.startsWith("max=")) {
                max = Values.intNumber(a.substring(4));
                if (max <= 0) {
                    throw Errors.at(d, "invalid \"open_file_cache\" parameter " + Errors.q(a));
                }
            } else if (a.startsWith("inactive=")) {
                inactive = Values.sec(a.substring(9));
                if (inactive < 0) {
                    throw Errors.at(d, "invalid \"open_file_cache\" parameter " + Errors.q(a));
                }
                inactive *= 1000;
            } else if (a.equals("off")) {
                off = true;
            } else {
                throw Errors.at(d, "invalid \"open_file_cache\" parameter " + Errors.q(a));
            }
        }
        if (off) {
            if (d.args().size() > 1) {
                throw Errors.at(d, "\"open_file_cache\" parameter \"off\" is incompatible with other parameters");
            }
            slot.set(Optional.empty(), d);
            return;
        }
        if (max == 0) {
            throw Errors.at(d, "\"open_file_cache\" must have the \"max\" parameter");
        }
        slot.set(Optional.of(new FileIoConf.OpenFileCache(max, Duration.ofMillis(inactive))), d);
    }
}
