package dev.pier.it;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abort drill through the real {@code bin/pier}, with two workers and with {@code master_process off}: every
 * worker drills while it has a connection open (an idle keep-alive one is enough), to the drill's full count, on a
 * loopback socket of its own: none of it reaches the configuration's server or its access log, the drill's socket
 * is gone afterwards, and the worker serves on.
 */
@org.junit.jupiter.api.Timeout(90)
class AbortDrillIT {
    private static final Pattern DONE = Pattern.compile("\\[info\\] (\\d+)#\\d+: abort drill done: (\\d+) exchanges, "
            + "(\\d+) connections");

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @ParameterizedTest(name = "master_process {0}")
    @ValueSource(strings = {"on", "off"})
    void everyWorkerDrillsOnItsOwnSocketAndNothingReachesTheConfiguration(String masterProcess) throws Exception {
        int port = Ports.free();
        int workers = masterProcess.equals("on") ? 2 : 1;
        PierInstance p = pier.newInstance().writeConf("""
                worker_processes %d;
                master_process %s;
                error_log logs/error.log info;
                events { worker_connections 256; }
                http {
                    access_log logs/access.log;
                    keepalive_timeout 60s;
                    server {
                        listen 127.0.0.1:%d;
                        location / { return 200 "by $pid\\n"; }
                    }
                }
                """.formatted(workers, masterProcess, port)).start();
        Await.until(Duration.ofSeconds(20), () -> "a drill socket per worker: " + listeningPorts(p),
                () -> listeningPorts(p).size() == workers + 1);

        // one idle keep-alive connection per worker: each worker then has a connection open, and drills
        List<RawHttp> held = new java.util.ArrayList<>();
        Set<String> holders = new java.util.HashSet<>();
        int requests = 0;
        try {
            for (int i = 0; i < 50 && holders.size() < workers; i++) {
                RawHttp c = RawHttp.connect(port);
                held.add(c);
                holders.add(get(c));
                requests++;
            }
            assertThat(holders).as("a connection held on every worker").hasSize(workers);
            Path errorLog = p.prefix().errorLog();
            Await.until(Duration.ofSeconds(40), () -> "drills done, error log:\n" + tail(errorLog),
                    () -> DONE.matcher(tail(errorLog)).results().count() >= workers);
            for (RawHttp c : held) {
                get(c); // the held connections still served
                requests++;
            }
        } finally {
            held.forEach(RawHttp::close);
        }

        Matcher m = DONE.matcher(Files.readString(p.prefix().errorLog()));
        Set<String> drilled = new java.util.HashSet<>();
        while (m.find()) {
            drilled.add(m.group(1));
            assertThat(Integer.parseInt(m.group(2))).as("exchanges (AbortDrill.EXCHANGES)").isEqualTo(300);
            assertThat(Integer.parseInt(m.group(3))).as("one connection per exchange").isEqualTo(300);
        }
        assertThat(drilled).as("every worker drilled once").isEqualTo(holders);
        Path accessLog = p.prefix().logs().resolve("access.log");
        int expected = requests;
        // lines are written out in batches: wait for the test's own, then look for anything more
        Await.until(Duration.ofSeconds(10), () -> "access log lines: " + tail(accessLog),
                () -> lines(accessLog).size() >= expected);
        Thread.sleep(500);
        List<String> logged = Files.readAllLines(accessLog);
        assertThat(logged).as("the access log holds the test's own requests only").hasSize(requests)
                .noneMatch(l -> l.contains("warm-up"));
        assertThat(listeningPorts(p)).as("no drill socket left listening").containsExactly(port);
        assertThat(RawHttp.get(port, "/").status()).isEqualTo(200);
    }

    /** A keep-alive request on {@code c}; returns the pid that answered. */
    private static String get(RawHttp c) {
        HttpResponse r = c.send(RawHttp.request("GET", "/")).read();
        assertThat(r.status()).isEqualTo(200);
        return r.bodyText().substring(3).trim();
    }

    /** The TCP ports this Pier's processes listen on (their own descriptors, {@link ProcNet}). */
    private static Set<Integer> listeningPorts(PierInstance p) {
        return p.allPids().stream().flatMap(pid -> ProcNet.listening(pid).stream())
                .map(ProcNet.ListeningSocket::port).collect(Collectors.toSet());
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (java.io.IOException e) {
            return List.of(); // not written yet
        }
    }

    private static String tail(Path log) {
        List<String> lines = lines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
