package dev.pier.http;

/**
 * nginx's phase engine ({@code ngx_http_core_run_phases} and its checkers): the server level's rewrite phase, the
 * location search, the location's rewrite phase (a changed URI searches again), the preaccess phase, the content
 * phase. Internal redirects, named locations and {@code error_page} start over, at most 10 times a request (as nginx).
 * Stateless: the dispatcher calls it per request and acts on what suspends the request ({@code limit_req}).
 */
final class Phases {
    private static final int MAX_INTERNAL_REDIRECTS = 10;

    private Phases() {
    }

    /**
     * Runs the phases from {@code r} on (null: from the start) until the request is answered or suspended; returns the
     * {@link PhaseResult.Delay} that suspended it, else null.
     */
    static PhaseResult.Delay run(HttpConnection conn, Exchange ex, PhaseResult r) {
        while (true) {
            if (r == null) {
                r = phases(ex, null, true);
            }
            if (ex.location() != null) {
                conn.current(ex.location());
            }
            switch (r) {
                case PhaseResult.Done d -> {
                    return null;
                }
                case PhaseResult.Fail f -> {
                    ex.sendError(f.error());
                    return null;
                }
                case PhaseResult.Delay d -> {
                    return d;
                }
                case PhaseResult.Declined d -> {
                    ex.sendError(HttpError.NOT_FOUND);
                    return null;
                }
                case PhaseResult.FindLocation f -> {
                    // ngx_http_core_post_rewrite_phase: a location's rewrite changed the URI, search again
                    if (ex.redirects++ == MAX_INTERNAL_REDIRECTS) {
                        ex.log().error("rewrite or internal redirection cycle while processing \"" + ex.uri() + "\""
                                + ex.logContext());
                        ex.sendError(HttpError.INTERNAL);
                        return null;
                    }
                    r = phases(ex, null, false);
                    continue;
                }
                case PhaseResult.InternalRedirect ir -> {
                    if (ex.redirects++ == MAX_INTERNAL_REDIRECTS) {
                        ex.log().error("rewrite or internal redirection cycle while internally redirecting to \""
                                + ir.uri() + "\"" + ex.logContext());
                        ex.sendError(HttpError.INTERNAL);
                        return null;
                    }
                    if (ir.uri().startsWith("@")) {
                        Location named = ex.server().locations().named(ir.uri());
                        if (named == null) {
                            ex.log().error("could not find named location \"" + ir.uri() + "\"" + ex.logContext());
                            ex.sendError(HttpError.INTERNAL);
                            return null;
                        }
                        r = phases(ex, named, true);
                        conn.current(named);
                        continue;
                    }
                    ex.internalRedirect(ir.uri());
                }
            }
            r = null;
        }
    }

    /**
     * The phases for the request's URI, or for {@code named} (a named location skips the server's rewrites);
     * {@code serverRewrite} false after a location's rewrite changed the URI (nginx goes back to find-config only).
     */
    private static PhaseResult phases(Exchange ex, Location named, boolean serverRewrite) {
        if (named != null) {
            ex.location(named);
            PhaseResult r = runAll(named.rewriteHandlers(), ex);
            return r != PhaseResult.DECLINED ? r : afterRewrite(ex.location(), ex);
        }
        LocationTree tree = ex.server().locations();
        Location serverLevel = tree.serverLevel();
        ex.location(serverLevel);
        PhaseResult r = serverRewrite ? runAll(serverLevel.rewriteHandlers(), ex) : PhaseResult.DECLINED;
        if (r != PhaseResult.DECLINED && r != PhaseResult.FIND_LOCATION) {
            return r; // a changed URI from the server level is simply what the location search below sees
        }
        String[][] captures = new String[1][];
        Location loc = tree.find(ex.uri(), captures);
        ex.location(loc);
        ex.captures(captures[0]);
        if (captures[0] != null && !loc.captureNames().isEmpty()) {
            UserVariables.captures(ex, loc.captureNames(), captures[0]);
        }
        if (loc.core().internal() && !ex.isInternal()) {
            return new PhaseResult.Fail(HttpError.NOT_FOUND); // internal locations answer redirects only
        }
        long length = ex.isInternal() ? -1 : ScannedRequest.contentLength(ex.request());
        if (length > 0 && loc.bodyTooLarge(length)) {
            // ngx_http_core_find_config_phase: refused before a byte of the body is read; not again after an
            // internal redirect (nginx has discarded the body by then), so error_page 413 can answer
            ex.log().error("client intended to send too large body: " + length + " bytes" + ex.logContext());
            return new PhaseResult.Fail(HttpError.forStatus(413));
        }
        if (loc != serverLevel) {
            r = runAll(loc.rewriteHandlers(), ex);
            if (r != PhaseResult.DECLINED) {
                return r;
            }
        }
        // an if block of the location's rewrite phase may have made its implicit location the request's
        return afterRewrite(ex.location(), ex);
    }

    /**
     * nginx's preaccess phase ({@code limit_req}, {@code limit_conn}), then the content phase; also where a request
     * delayed by {@code limit_req} goes on (the preaccess handlers decline what they did already).
     */
    static PhaseResult afterRewrite(Location loc, Exchange ex) {
        PhaseResult r = runAll(loc.preaccessHandlers(), ex);
        return r != PhaseResult.DECLINED ? r : runAll(loc.contentHandlers(), ex);
    }

    private static PhaseResult runAll(PhaseHandler[] handlers, Exchange ex) {
        for (PhaseHandler h : handlers) {
            PhaseResult r = h.handle(ex);
            if (r != PhaseResult.DECLINED) {
                return r;
            }
        }
        return PhaseResult.DECLINED;
    }
}
