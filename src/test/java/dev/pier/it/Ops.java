package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Shared steps of the zero-loss operations tests (reload, resize, upgrade, crash under load). */
final class Ops {
    /** The body of {@link Confs#tagged}: {@code TAG PID\n}; group 1 is the worker's pid. */
    static final Pattern BODY = Pattern.compile("gen-[a-z0-9]+ (\\d+)\n");
    /** Concurrent clients of the load, half keep-alive and half fresh connections. */
    static final int CLIENTS = 16;
    static final Duration SETTLE = Duration.ofSeconds(30);

    private Ops() {
    }

    /**
     * Waits until master {@code masterPid} has exactly {@code count} workers, all of one generation, in slots
     * 0..count-1, each holding a listening socket on {@code port}, and returns them by slot.
     */
    static List<WorkerInfo> awaitServing(PierInstance p, long masterPid, int port, int count) {
        Await.until(SETTLE, () -> count + " workers of master " + masterPid + " holding a listener on " + port
                + ", have " + describe(p, masterPid, port), () -> {
                    List<WorkerInfo> w = p.workersOf(masterPid);
                    return w.size() == count
                            && w.stream().map(WorkerInfo::generation).distinct().count() == 1
                            && w.stream().map(WorkerInfo::slot).collect(Collectors.toSet()).size() == count
                            && w.stream().allMatch(i -> i.slot() < count
                            && !ProcNet.listening(i.pid(), port).isEmpty())
                            && reportedReady(p, w);
                });
        return p.workersOf(masterPid).stream().sorted(java.util.Comparator.comparingInt(WorkerInfo::slot)).toList();
    }

    /**
     * Whether the master logged each worker as ready: holding its sockets is not enough, a worker that has them may
     * still be binding its configuration (seconds on a loaded machine, while connections queue unanswered).
     */
    static boolean reportedReady(PierInstance p, List<WorkerInfo> workers) {
        List<String> lines = p.prefix().readyLines();
        return workers.stream().allMatch(w -> lines.stream().anyMatch(l -> l.contains("worker process " + w.pid() + " (")));
    }

    static String describe(PierInstance p, long masterPid, int port) {
        return p.workersOf(masterPid).stream().map(w -> w + " listening " + ProcNet.listening(w.pid(), port))
                .toList().toString();
    }

    /** Waits until the load has {@code n} more successful requests than now (the server is really serving). */
    static void awaitTraffic(MixedLoad load, int n) {
        long base = load.outcomes().stream().filter(MixedLoad.Outcome::ok).count();
        Await.until(SETTLE, () -> n + " successful requests, " + load.summary(),
                () -> load.outcomes().stream().filter(MixedLoad.Outcome::ok).count() >= base + n);
    }

    /** Starts the usual {@link MixedLoad} on {@code port} and waits until it is served (100 successful requests). */
    static MixedLoad startLoad(int port) {
        MixedLoad load = MixedLoad.start(port, CLIENTS, BODY);
        try {
            awaitTraffic(load, 100);
        } catch (RuntimeException | Error e) {
            load.close();
            throw e;
        }
        return load;
    }

    /**
     * Ends a load: waits for {@code more} successful requests from now (the server serves after the change), stops it
     * and asserts that none failed, {@code min} requests at least.
     */
    static void stopLoad(MixedLoad load, int more, int min) {
        awaitTraffic(load, more);
        load.stop();
        assertNoFailures(load, load.outcomes(), min);
    }

    /** Waits until {@code GET /} on a fresh connection answers with a body starting with {@code tag + " "}. */
    static void awaitServed(int port, String tag) {
        String[] last = {""};
        Await.until(SETTLE, () -> "\"" + tag + " ...\" served, last answer: " + last[0], () -> {
            try {
                last[0] = RawHttp.get(port, "/").bodyText();
            } catch (RuntimeException e) {
                last[0] = e.toString();
            }
            return last[0].startsWith(tag + " ");
        });
    }

    /** No request failed, and the load really ran ({@code min} requests at least). */
    static void assertNoFailures(MixedLoad load, List<MixedLoad.Outcome> outcomes, int min) {
        String summary = load.summary();
        System.out.println("[pier-it] load: " + summary);
        assertThat(outcomes).as("requests made: %s", summary).hasSizeGreaterThanOrEqualTo(min);
        assertThat(outcomes.stream().filter(o -> o.mode() == MixedLoad.Mode.KEEP_ALIVE && o.reused()).count())
                .as("requests on reused keep-alive connections: %s", summary).isPositive();
        assertThat(outcomes).as("failed requests (%s)", summary).filteredOn(o -> !o.ok()).isEmpty();
    }

    /** The inodes of the listening sockets {@code pid} holds on {@code port}. */
    static Set<Long> inodes(long pid, int port) {
        return ReuseportIT.inodes(ProcNet.listening(pid, port));
    }
}
