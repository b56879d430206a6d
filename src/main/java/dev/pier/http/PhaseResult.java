package dev.pier.http;

import java.util.Objects;

/** What a phase handler did; the dispatcher acts on it in one place. */
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

    /** nginx's internal redirect: re-run the phases, location selection included, for {@code uri}. */
    record InternalRedirect(String uri) implements PhaseResult {
        public InternalRedirect {
            Objects.requireNonNull(uri, "uri");
        }
    }
}
