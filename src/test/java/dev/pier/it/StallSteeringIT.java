package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker that stops accepting (here: SIGSTOP) behind a reuseport socket: the master samples the accept queues, sees
 * the stopped worker's queue grow, steers new connections to the other worker, and steers them back once the stopped
 * worker has emptied its queue again. The connections that were queued meanwhile wait and are served; none is lost.
 */
class StallSteeringIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The connections opened while the master has not yet seen the stall: about half wait in the stopped queue. */
    private static final int QUEUED_AT_MOST = 40;
    private static final int STEERED = 100;

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @Test
    void aStoppedWorkersSocketGetsNoNewConnectionsUntilItAcceptsAgain() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(Confs.tagged(port, 2, true, "pier")).start();
        List<ProcessHandle> workers = ReuseportIT.awaitWorkersHoldingSockets(p, port);
        awaitBothServing(port, workers);
        long stopped = workers.get(0).pid();
        String live = "pier " + workers.get(1).pid();

        PierInstance.signal("STOP", stopped);
        List<RawHttp> waiting = new ArrayList<>();
        try {
            Await.until(WAIT, () -> "the master's [warn] about a worker not accepting, after " + waiting.size()
                    + " connections:\n" + p.prefix().errorLogText(), () -> {
                if (waiting.size() < QUEUED_AT_MOST) {
                    RawHttp c = RawHttp.connect(port, Duration.ofSeconds(30), 0);
                    waiting.add(c);
                    c.send(RawHttp.request("GET", "/", "Connection: close"));
                }
                return p.prefix().errorLogText().lines()
                        .anyMatch(l -> l.contains("[warn]") && l.contains("is not accepting"));
            });

            for (int i = 0; i < STEERED; i++) {
                // a connection sent to the stopped worker would wait unanswered: the read would time out
                HttpResponse r;
                try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(5), 0)) {
                    r = c.send(RawHttp.request("GET", "/", "Connection: close")).read();
                }
                assertThat(r.status()).as("new connection %d while a worker is stopped", i).isEqualTo(200);
                assertThat(r.bodyText().strip()).as("new connection %d", i).isEqualTo(live);
            }

            PierInstance.signal("CONT", stopped);
            for (int i = 0; i < waiting.size(); i++) {
                HttpResponse r = waiting.get(i).read();
                assertThat(r.status()).as("connection %d queued while the worker was stopped", i).isEqualTo(200);
            }
            Await.until(WAIT, () -> "the master's notice that the worker accepts again:\n"
                    + p.prefix().errorLogText(), () -> p.prefix().errorLogText().lines()
                    .anyMatch(l -> l.contains("[notice]") && l.contains("is accepting again")));
            awaitBothServing(port, workers);
        } finally {
            waiting.forEach(RawHttp::close);
            if (workers.get(0).isAlive()) {
                PierInstance.signal("CONT", stopped);
            }
        }
    }

    /** New connections reach both workers (each answers with its pid). */
    private static void awaitBothServing(int port, List<ProcessHandle> workers) {
        Set<String> want = new HashSet<>();
        workers.forEach(w -> want.add("pier " + w.pid()));
        Set<String> seen = new HashSet<>();
        Await.until(WAIT, () -> "both workers serving new connections, seen " + seen, () -> {
            try (RawHttp c = RawHttp.connect(port, Duration.ofSeconds(5), 0)) {
                seen.add(c.send(RawHttp.request("GET", "/", "Connection: close")).read().bodyText().strip());
            }
            return seen.containsAll(want);
        });
    }
}
