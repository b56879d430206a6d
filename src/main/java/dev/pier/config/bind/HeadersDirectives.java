package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.List;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.simple;

/** The headers filter's {@code add_header NAME VALUE [always]} ({@code ngx_http_headers_add}). */
final class HeadersDirectives {
    private HeadersDirectives() {
    }

    static final List<DirectiveSpec> SPECS = List.of(
            simple("add_header", Arity.TAKE23, HeadersDirectives::addHeader, HTTP, SERVER, LOCATION,
                    Context.IF_LOCATION));

    private static void addHeader(Directive d, Scope s) throws ConfigException {
        boolean always = false;
        if (d.args().size() == 3) {
            if (!d.args().get(2).equals("always")) {
                throw Errors.at(d, "invalid parameter " + Errors.q(d.args().get(2)));
            }
            always = true;
        }
        VariableCatalog.check(d.args().get(1), d.source());
        s.location().addHeadersForWrite().add(new AddHeader(d.args().get(0), d.args().get(1), always));
    }
}
