package dev.pier.http;

import dev.pier.config.bind.ProxyConf;
import dev.pier.http.accesslog.AccessLogModule;
import dev.pier.http.charset.CharsetModule;
import dev.pier.http.gzip.GzipModule;
import dev.pier.http.staticfiles.TryFilesModule;
import dev.pier.http.headers.HeadersModule;
import dev.pier.http.limits.LimitsModule;
import dev.pier.http.limits.LimitsVariables;
import dev.pier.http.proxy.ProxyModule;
import dev.pier.http.proxy.ProxyVariables;
import dev.pier.http.rewrite.RewriteModule;
import dev.pier.http.staticfiles.StaticModule;

import java.util.List;
import java.util.Optional;

/**
 * The modules built into Pier, in the order their handlers run within a phase (nginx's {@code ngx_modules.c}): the
 * only place the core names its modules.
 */
public final class StandardModules {
    private StandardModules() {
    }

    public static List<HttpModule> list() {
        // try_files runs before the content handler, as in nginx's precontent phase; proxy_pass before static files;
        // gzip_static before static files, and gzip's header filter after add_header's (nginx's filter order)
        return List.of(new RewriteModule(), new LimitsModule(), new HeadersModule(), new TryFilesModule(),
                new ProxyModule(loc -> Optional.of(loc.modules().get(ProxyConf.class))), new CharsetModule(),
                new GzipModule(),
                new StaticModule(), new AccessLogModule());
    }

    /**
     * Every source of variables (nginx's {@code ngx_http_variables_add_core_vars} and each module's
     * preconfiguration). A name listed here must also be known to the binder ({@code VariableCatalog}).
     */
    public static List<VariableSource> variableSources() {
        return List.of(new CoreVariables(), new ProxyVariables(), new LimitsVariables());
    }
}
