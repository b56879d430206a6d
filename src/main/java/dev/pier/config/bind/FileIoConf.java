package dev.pier.config.bind;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How static files are opened and sent (ngx_http_core_module): {@code disable_symlinks}, {@code open_file_cache}
 * with its {@code _valid}, {@code _min_uses} and {@code _errors}, {@code sendfile} and {@code tcp_nopush}.
 *
 * @param symlinks       {@code disable_symlinks}
 * @param symlinksFrom   {@code from=PART} as written (may hold variables); empty = check every component
 * @param openFileCache  empty = {@code open_file_cache off}
 * @param valid          {@code open_file_cache_valid}: how long an entry is trusted before it is checked again
 * @param minUses        {@code open_file_cache_min_uses}: uses within {@code inactive} before a descriptor is kept
 * @param cacheErrors    {@code open_file_cache_errors}: also remember lookup errors (not found, forbidden)
 * @param sendfile       {@code sendfile}: zero-copy bodies; off = read into buffers
 * @param tcpNopush      {@code tcp_nopush}: cork the socket while a static response's head and file are written
 * @param limitRate      {@code limit_rate}: bytes per second of a static response body, 0 = no limit
 * @param limitRateAfter {@code limit_rate_after}: bytes sent at full speed before the limit applies
 */
public record FileIoConf(Symlinks symlinks, Optional<String> symlinksFrom, Optional<OpenFileCache> openFileCache,
                         Duration valid, int minUses, boolean cacheErrors, boolean sendfile, boolean tcpNopush,
                         long limitRate, long limitRateAfter) {
    public enum Symlinks {
        OFF, ON, IF_NOT_OWNER
    }

    /** {@code open_file_cache max=N [inactive=TIME]} (inactive defaults to 60s, as nginx). */
    public record OpenFileCache(int max, Duration inactive) {
        public OpenFileCache {
            if (max <= 0) {
                throw new IllegalArgumentException("max must be positive");
            }
            Objects.requireNonNull(inactive, "inactive");
        }
    }

    public FileIoConf {
        Objects.requireNonNull(symlinks, "symlinks");
        Objects.requireNonNull(symlinksFrom, "symlinksFrom");
        Objects.requireNonNull(openFileCache, "openFileCache");
        Objects.requireNonNull(valid, "valid");
    }

    /** nginx's defaults; {@code sendfile} is on in Pier (nginx's built-in default is off, its shipped conf sets on). */
    static final FileIoConf DEFAULTS = new FileIoConf(Symlinks.OFF, Optional.empty(), Optional.empty(),
            Duration.ofSeconds(60), 1, false, true, false, 0, 0);
}
