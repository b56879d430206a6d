package dev.pier.http.rewrite;

import dev.pier.http.Exchange;
import dev.pier.http.HttpError;
import dev.pier.http.PhaseHandler;
import dev.pier.http.PhaseResult;
import dev.pier.http.UserVariables;

import java.util.regex.Matcher;

/**
 * One level's rewrite program, run top to bottom in the rewrite phase like {@code ngx_http_rewrite_handler}: a
 * {@code return}, a redirect or an error ends the request's phases; {@code last}, {@code break} (flag or directive)
 * end the program; an {@code if} whose condition holds runs its body in place. A new URI without {@code break} makes
 * the dispatcher search the location again ({@link PhaseResult#FIND_LOCATION}); with {@code break} the request goes
 * on in this location with it.
 */
final class RewriteProgram implements PhaseHandler {
    private final Step[] steps;
    private final boolean log;

    RewriteProgram(Step[] steps, boolean log) {
        this.steps = steps;
        this.log = log;
    }

    @Override
    public PhaseResult handle(Exchange ex) {
        Run run = new Run(ex);
        run.steps(steps);
        if (run.result != null) {
            return run.result;
        }
        return run.uriChanged ? PhaseResult.FIND_LOCATION : PhaseResult.DECLINED;
    }

    /** One execution: nginx's script engine state for a request. */
    private final class Run {
        final Exchange ex;
        /** nginx's {@code r->uri_changed}. */
        boolean uriChanged;
        /** Set when the program ends the phases (a response, an error). */
        PhaseResult result;
        /** The program stopped ({@code last}, {@code break}, {@code return}, a redirect). */
        boolean stopped;

        Run(Exchange ex) {
            this.ex = ex;
        }

        void steps(Step[] list) {
            for (Step s : list) {
                step(s);
                if (stopped) {
                    return;
                }
            }
        }

        private void step(Step s) {
            switch (s) {
                case Step.Rewrite r -> rewrite(r);
                case Step.Return r -> {
                    PhaseResult res = r.handler().handle(ex);
                    result = res == PhaseResult.DECLINED ? null : res;
                    stopped = true;
                }
                case Step.Set set -> {
                    String v = set.value().render(ex);
                    if (set.name().equals("args")) {
                        ex.args(v);
                    } else if (set.name().equals("limit_rate")) {
                        ex.limitRate(v);
                    } else {
                        UserVariables.set(ex, set.name(), v);
                    }
                }
                case Step.Break b -> {
                    uriChanged = false; // ngx_http_script_break_code: go on in this location with the new URI
                    stopped = true;
                }
                case Step.If i -> {
                    if (Conditions.holds(i.condition(), ex, log)) {
                        if (i.location() != null) {
                            ex.enterIfLocation(i.location());
                        }
                        steps(i.body());
                    }
                }
            }
        }

        private void rewrite(Step.Rewrite r) {
            String uri = ex.uri();
            Matcher m = r.regex().matcher(uri);
            if (!m.find()) {
                if (log) {
                    ex.log().notice("\"" + r.regexText() + "\" does not match \"" + uri + "\"" + ex.logContext());
                }
                ex.captures(null); // nginx resets r->ncaptures on a failed match
                return;
            }
            if (log) {
                ex.log().notice("\"" + r.regexText() + "\" matches \"" + uri + "\"" + ex.logContext());
            }
            Conditions.capture(ex, m, r.names());
            boolean quoted = Replacement.quoted(ex);
            String args = ex.args();
            Replacement rep = r.replacement();
            if (r.status() != 0) {
                String url = Replacement.unescapeRedirect(rep.renderPath(ex, quoted));
                if (r.addArgs() && !args.isEmpty()) {
                    url = url + (rep.hasQuery() ? '&' : '?') + args;
                }
                if (log) {
                    ex.log().notice("rewritten redirect: \"" + url + "\"" + ex.logContext());
                }
                ex.sendRedirect(r.status(), url);
                result = PhaseResult.DONE;
                stopped = true;
                return;
            }
            String newUri = rep.renderPath(ex, false);
            String newArgs;
            if (rep.hasArgs()) {
                newArgs = rep.renderArgs(ex, quoted);
                if (r.addArgs() && !args.isEmpty()) {
                    newArgs = newArgs + "&" + args;
                }
            } else {
                newArgs = r.addArgs() ? args : "";
            }
            if (log) {
                ex.log().notice("rewritten data: \"" + newUri + "\", args: \"" + newArgs + "\"" + ex.logContext());
            }
            if (newUri.isEmpty()) {
                ex.log().error("the rewritten URI has a zero length" + ex.logContext());
                result = new PhaseResult.Fail(HttpError.INTERNAL);
                stopped = true;
                return;
            }
            ex.rewritten(newUri, newArgs);
            uriChanged = !r.breakCycle();
            stopped = r.stop();
        }
    }
}
