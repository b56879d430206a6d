package dev.pier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code user}: a master started as root keeps root (it owns the sockets and the control socket) while every thread
 * of every worker runs as the configured user, checked from outside in {@code /proc/PID/task/*}/status; serving and
 * USR1 log rotation keep working after the drop; a spare that takes over a slot drops too; {@code user root} is
 * the only way to keep workers as root. Needs root: skipped otherwise.
 */
class UserIT {
    private static final Duration READY = Duration.ofSeconds(30);
    private static final String NOBODY = "65534";

    @RegisterExtension
    final PierProcesses pier = new PierProcesses();

    @BeforeEach
    void onlyAsRoot() {
        assumeTrue(dev.pier.os.Posix.geteuid() == 0, "the master must start as root");
    }

    private static String conf(int port, String userLine) {
        return """
                %s
                worker_processes 2;
                error_log logs/error.log info;
                events { worker_connections 64; }
                http {
                    access_log logs/access.log;
                    server {
                        listen 127.0.0.1:%d reuseport;
                        root html;
                        location = /hello { return 200 "hello\\n"; }
                    }
                }
                """.formatted(userLine, port);
    }

    @Test
    void workersRunAsTheUserInEveryThreadWhileTheMasterStaysRoot() throws Exception {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, "user nobody nogroup;")).start();
        List<ProcessHandle> workers = awaitServing(p, port, 2);

        for (ProcessHandle w : workers) {
            assertThat(threadCount(w.pid())).as("a worker JVM has many threads").isGreaterThan(5);
            assertThat(uidOf(w.pid())).as("uids of every thread of worker %d", w.pid()).containsExactly(NOBODY);
            assertThat(gidOf(w.pid())).as("gids of every thread of worker %d", w.pid()).containsExactly(NOBODY);
            assertThat(groupsOf(w.pid())).as("no supplementary group of root's is left").doesNotContain("0");
        }
        assertThat(uidOf(p.masterPid())).as("the master keeps root").containsExactly("0");
        assertThat(p.prefix().errorLogText()).doesNotContain("[emerg]").contains("worker process runs as nobody");

        HttpResponse index = RawHttp.get(port, "/");
        assertThat(index.status()).as("static file read by a worker running as nobody: %s", index).isEqualTo(200);
        assertThat(index.bodyText()).isEqualTo(TestPrefix.INDEX_HTML);
        assertThat(RawHttp.get(port, "/hello").bodyText()).isEqualTo("hello\n");
        Path secret = p.prefix().writeHtml("secret.html", "root only\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(RawHttp.get(port, "/secret.html").status()).as("a root-only file is out of a worker's reach")
                .isEqualTo(403);

        // rotation: the master hands the new files to nobody before the workers reopen them
        Path access = p.prefix().logs().resolve("access.log");
        Await.until(READY, "the first requests logged", () -> text(access).contains("/hello"));
        Files.move(access, p.prefix().logs().resolve("access.log.1"));
        Files.move(p.prefix().errorLog(), p.prefix().logs().resolve("error.log.1"));
        assertThat(p.run("-s", "reopen").exitCode()).isZero();
        Await.until(READY, "a fresh access.log", () -> Files.exists(access));
        assertThat(Files.getAttribute(access, "unix:uid")).isEqualTo(65534);
        assertThat(Files.getAttribute(p.prefix().errorLog(), "unix:uid")).isEqualTo(65534);
        Await.until(READY, () -> "a request after reopen logged in the new access.log: " + text(access), () -> {
            RawHttp.get(port, "/hello?after-reopen");
            return text(access).contains("/hello?after-reopen");
        });
        RawHttp.get(port, "/no-such-file");
        Await.until(READY, "a worker's error line in the new error.log",
                () -> p.prefix().errorLogText().contains("no-such-file"));
        assertThat(p.prefix().errorLogText()).doesNotContain("[alert]");
    }

    @Test
    void withoutUserARootMasterRunsWorkersAsNobodyAndASpareDropsBeforeItTakesASlot() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, "")).start();
        List<ProcessHandle> workers = awaitServing(p, port, 2);
        for (ProcessHandle w : workers) {
            assertThat(uidOf(w.pid())).as("worker %d", w.pid()).containsExactly(NOBODY);
        }
        // the warm spare gives up root as soon as it is warm, before it has a slot
        Await.until(READY, () -> "a spare next to " + p.workerPids(), () -> p.children().size() == 3);
        long spare = p.children().stream().filter(h -> !p.workers().contains(h)).findFirst().orElseThrow().pid();
        Await.until(READY, () -> "spare " + spare + " running as nobody: " + uidOf(spare),
                () -> uidOf(spare).equals(Set.of(NOBODY)));
        // a killed worker's slot goes to the warm spare, which got its Assign only now
        ProcessHandle victim = workers.getFirst();
        PierInstance.signal("KILL", victim.pid());
        Await.until(READY, () -> "the slot served again: " + p.workerPids(), () -> !p.workers().contains(victim));
        for (ProcessHandle w : awaitServing(p, port, 3)) {
            assertThat(uidOf(w.pid())).as("worker %d (the spare among them)", w.pid()).containsExactly(NOBODY);
        }
        assertThat(RawHttp.get(port, "/hello").status()).isEqualTo(200);
    }

    /**
     * Spares give up root for the current user before they have a slot, so a reload that names another user cannot
     * use them: its workers are new JVMs, and the old spares are replaced by spares of the new user.
     */
    @Test
    void aReloadThatChangesTheUserStartsWorkersAndSparesOfTheNewUser() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, "user nobody;")).start();
        awaitServing(p, port, 2);
        Await.until(READY, () -> "a spare next to " + p.workerPids(), () -> p.children().size() == 3);
        p.writeConf(conf(port, "user daemon;"));
        assertThat(p.run("-s", "reload").exitCode()).isZero();
        Await.until(READY, () -> "workers and spare running as daemon (uid 1): " + p.children().stream()
                .map(h -> h.pid() + "=" + uidOf(h.pid())).toList(), () -> {
                    List<ProcessHandle> all = p.children();
                    return all.size() == 3 && all.stream().allMatch(h -> uidOf(h.pid()).equals(Set.of("1")));
                });
        ProcessHandle victim = p.workers().getFirst();
        PierInstance.signal("KILL", victim.pid());
        Await.until(READY, () -> "the slot served again: " + p.workerPids(),
                () -> !p.workers().contains(victim) && p.workers().size() == 2);
        for (ProcessHandle w : p.workers()) {
            assertThat(uidOf(w.pid())).as("worker %d", w.pid()).containsExactly("1");
        }
        assertThat(RawHttp.get(port, "/hello").status()).isEqualTo(200);
        assertThat(p.prefix().errorLogText()).doesNotContain("[emerg]");
    }

    @Test
    void userRootWrittenExplicitlyKeepsWorkersAsRoot() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, "user root;")).start();
        for (ProcessHandle w : awaitServing(p, port, 2)) {
            assertThat(uidOf(w.pid())).as("worker %d", w.pid()).containsExactly("0");
        }
        assertThat(RawHttp.get(port, "/hello").status()).isEqualTo(200);
    }

    @Test
    void anUnknownUserStopsTheStartAndFailsTheTest() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, "user pier-no-such-user;"));
        CliResult t = p.run("-t");
        assertThat(t.exitCode()).isEqualTo(1);
        assertThat(t.stderr()).contains("[emerg] getpwnam(\"pier-no-such-user\") failed in "
                + p.prefix().confFile() + ":1");
        assertThat(PierProcesses.runningUnder(p.prefix().root())).isEmpty();
    }

    /**
     * Waits until {@code readyLines} workers have reported ready (a worker drops privileges before it reports, but
     * holds its sockets from the moment it got them) and returns the current workers.
     */
    private static List<ProcessHandle> awaitServing(PierInstance p, int port, int readyLines) {
        Await.until(READY, () -> readyLines + " workers ready:\n" + p.prefix().errorLogText(),
                () -> p.prefix().readyLines().size() >= readyLines);
        return ReuseportIT.awaitWorkersHoldingSockets(p, port);
    }

    @Test
    void aReloadToAnUnknownUserKeepsTheOldWorkers() {
        int port = Ports.free();
        PierInstance p = pier.newInstance().writeConf(conf(port, "user nobody;")).start();
        List<Long> before = awaitServing(p, port, 2).stream().map(ProcessHandle::pid).sorted().toList();
        p.writeConf(conf(port, "user pier-no-such-user;"));
        CliResult reload = p.run("-s", "reload");
        assertThat(reload.exitCode()).isEqualTo(1);
        assertThat(reload.stderr()).contains("getpwnam(\"pier-no-such-user\") failed in " + p.prefix().confFile());
        assertThat(p.prefix().errorLogText().lines()).anyMatch(l -> l.contains("[emerg]")
                && l.contains("getpwnam(\"pier-no-such-user\") failed"));
        assertThat(p.workerPids()).as("the old workers serve on").isEqualTo(before);
        assertThat(RawHttp.get(port, "/hello").status()).isEqualTo(200);
    }

    // ---- /proc ---------------------------------------------------------------------------------------------

    /** The distinct ids on the {@code Uid:} lines (real, effective, saved, fs) of every thread of {@code pid}. */
    static Set<String> uidOf(long pid) {
        return ids(pid, "Uid:");
    }

    static Set<String> gidOf(long pid) {
        return ids(pid, "Gid:");
    }

    static Set<String> groupsOf(long pid) {
        return ids(pid, "Groups:");
    }

    private static Set<String> ids(long pid, String key) {
        Set<String> out = new TreeSet<>();
        for (String line : statusLines(pid)) {
            if (line.startsWith(key)) {
                for (String f : line.substring(key.length()).trim().split("\\s+")) {
                    if (!f.isEmpty()) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    private static int threadCount(long pid) {
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The status lines of every thread of {@code pid} (a thread that ends meanwhile is left out); none for a process
     * that has ended (a reload's old worker or spare may end between being listed and being read: reading its files
     * then fails with ENOENT or ESRCH).
     */
    private static List<String> statusLines(long pid) {
        List<String> lines = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    lines.addAll(Files.readAllLines(t.resolve("status")));
                } catch (IOException e) {
                    if (!alive(pid)) {
                        return List.of();
                    }
                    boolean threadGone = e instanceof java.nio.file.NoSuchFileException
                            || String.valueOf(e.getMessage()).contains("No such process");
                    if (!threadGone) {
                        throw e;
                    }
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            if (alive(pid)) {
                throw new UncheckedIOException(e);
            }
            return List.of();
        }
        return lines;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String text(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
