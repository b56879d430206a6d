package dev.pier.http.rewrite;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.ReturnConf;
import dev.pier.http.HttpModule;
import dev.pier.http.PhaseHandler;
import dev.pier.http.Template;

import java.util.Optional;

/** nginx's {@code return} (ngx_http_rewrite_module): runs in the rewrite phase of the level that declares it. */
public final class ReturnModule implements HttpModule {
    @Override
    public Optional<PhaseHandler> rewrite(LocationConf loc) throws ConfigException {
        if (loc.ret().isEmpty()) {
            return Optional.empty();
        }
        ReturnConf ret = loc.ret().get();
        Template text = ret.text().isPresent() ? Template.compile(ret.text().get(), loc.source()) : null;
        return Optional.of(new ReturnHandler(ret, text));
    }
}
