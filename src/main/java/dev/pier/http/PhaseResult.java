package dev.pier.http;

import java.util.Objects;

/** What a phase handler did; {@link Phases} acts on it in one place. */
public sealed interface PhaseResult {

    /** Not mine: go on with the next handler or phase. */
    PhaseResult DECLINED = new Declined();
    /** A response was sent (or the connection closed, {@code return 444}). */
    PhaseResult DONE = new Done();

    record Declined() implements PhaseResult {
    }

    record Done() implements PhaseResult {
    }

    /** Answer with this error's page. */
    record Fail(HttpError error) implements PhaseResult {
        public Fail {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The rewrite module changed the URI in a location's rewrite phase (nginx's {@code r->uri_changed}): search the
     * location again for the new {@code $uri}, without the server level's rewrites, as
     * {@code ngx_http_core_post_rewrite_phase} does. Counts against the 10 URI changes a request may make. From the
     * server level's rewrite phase it just means "go on": the location search that follows sees the new URI.
     */
    PhaseResult FIND_LOCATION = new FindLocation();

    record FindLocation() implements PhaseResult {
    }

    /** nginx's internal redirect: re-run the phases, location selection included, for {@code uri}. */
    record InternalRedirect(String uri) implements PhaseResult {
        public InternalRedirect {
            Objects.requireNonNull(uri, "uri");
        }
    }

    /**
     * nginx's {@code limit_req} delay: suspend the request for {@code millis} on the connection's event loop (a
     * scheduled task, never a sleep), reading nothing from the client meanwhile, then run the preaccess phase again
     * and go on. Handlers of that phase must therefore decline a request they already handled (nginx keeps
     * {@code r->main->limit_req_status} for the same purpose). Allowed from the preaccess phase only.
     */
    record Delay(long millis) implements PhaseResult {
        public Delay {
            if (millis <= 0) {
                throw new IllegalArgumentException("delay " + millis);
            }
        }
    }
}
