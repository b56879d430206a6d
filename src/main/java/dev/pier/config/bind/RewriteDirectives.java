package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.List;
import java.util.Optional;

import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * The rewrite module's {@code return} ({@code ngx_http_rewrite_return}); not inherited by nested levels. It joins the
 * level's rewrite program ({@link RewriteConfModule}) where it runs in order with the other directives.
 */
final class RewriteDirectives {
    private RewriteDirectives() {
    }

    static final List<DirectiveSpec> SPECS = List.of(
            simple("return", Arity.TAKE12, RewriteDirectives::ret, SERVER, LOCATION, Context.IF_SERVER,
                    Context.IF_LOCATION));

    private static void ret(Directive d, Scope s) throws ConfigException {
        String first = d.args().getFirst();
        long code = Values.number(first);
        ReturnConf conf;
        if (code < 0) {
            boolean url = first.startsWith("http://") || first.startsWith("https://") || first.startsWith("$scheme");
            if (d.args().size() != 1 || !url) {
                throw Errors.at(d, "invalid return code " + Errors.q(first));
            }
            conf = new ReturnConf(302, Optional.of(first));
        } else if (code > 999) {
            throw Errors.at(d, "invalid return code " + Errors.q(first));
        } else {
            conf = new ReturnConf((int) code, d.args().size() == 2 ? Optional.of(d.args().get(1)) : Optional.empty());
        }
        if (conf.text().isPresent()) {
            VariableCatalog.check(conf.text().get(), d.source());
        }
        // the program of the level (or of the if block) runs it in order with rewrite, set, if and break
        s.module(RewriteConfModule.INSTANCE).ops.add(new RewriteOp.Return(conf, d.source()));
        // LocationConf.ret keeps the level's first return outside if blocks, for readers of the bound model
        if (s.location().ret == null && (s.context() == Context.SERVER || s.context() == Context.LOCATION)) {
            s.location().ret = conf;
        }
    }
}
