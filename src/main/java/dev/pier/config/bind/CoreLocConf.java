package dev.pier.config.bind;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * ngx_http_core_module's location settings added since {@link LocationConf} was fixed, merged per level.
 *
 * @param errorPages          inherited as a whole, only by levels without their own {@code error_page}
 * @param internal            this location only (not inherited)
 * @param tryFiles            this location only (not inherited): files then the fallback (URI, @name or =CODE)
 * @param alias               this location only: the path the location's match is replaced with (variables allowed)
 * @param serverTokens        {@code Server: pier/VERSION} and the version on error pages, else just {@code pier}
 */
public record CoreLocConf(List<ErrorPage> errorPages, boolean recursiveErrorPages, boolean internal,
                          List<String> tryFiles, Optional<String> alias, boolean logNotFound, boolean serverTokens) {
    public CoreLocConf {
        errorPages = List.copyOf(errorPages);
        tryFiles = List.copyOf(tryFiles);
        Objects.requireNonNull(alias, "alias");
    }

    static final CoreLocConf DEFAULTS = new CoreLocConf(List.of(), false, false, List.of(), Optional.empty(), true,
            true);
}
