package dev.pier.http.rewrite;

import dev.pier.config.bind.ReturnConf;
import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import dev.pier.http.Statuses;

import java.nio.charset.StandardCharsets;

/**
 * One compiled {@code return}: {@code 444} closes without a response; a redirect code sends nginx's page with an
 * absolute {@code Location}; other codes with text send the text typed like a file of this URI would be (nginx's
 * {@code ngx_http_send_response}: {@code types} by extension, else {@code default_type}); codes without text send
 * nginx's page for the code.
 */
final class ReturnHandler implements PhaseHandler {
    private final int code;
    private final boolean redirect;
    private final dev.pier.http.Template text;
    private final byte[] constantBody;

    ReturnHandler(ReturnConf conf, dev.pier.http.Template text) {
        this.code = conf.code();
        this.redirect = conf.isRedirect();
        this.text = text;
        this.constantBody = text != null && text.isConstant() ? text.text().getBytes(StandardCharsets.UTF_8) : null;
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        if (code == 444) {
            ex.closeWithoutResponse();
            return PhaseResult.DONE;
        }
        if (text == null) {
            if (code >= 300) {
                return new PhaseResult.Fail(HttpError.forStatus(code));
            }
            ex.send(Statuses.of(code), null, Unpooled.EMPTY_BUFFER);
            return PhaseResult.DONE;
        }
        if (redirect) {
            ex.sendRedirect(code, text.render(ex));
            return PhaseResult.DONE;
        }
        ByteBuf body = ex.body(constantBody != null ? constantBody : text.render(ex).getBytes(StandardCharsets.UTF_8));
        ex.send(Statuses.of(code), ex.location().contentType(ex.uri()), body);
        return PhaseResult.DONE;
    }
}
