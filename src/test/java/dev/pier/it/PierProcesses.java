package dev.pier.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns every process a test starts. Register it with {@code @RegisterExtension final PierProcesses pier = new
 * PierProcesses();} and create servers with {@link #newInstance()}. After each test, pass or fail, the whole tree of
 * every launched process is killed with SIGKILL, descendants first (a worker must not outlive the test that made it);
 * when the test failed, the prefix's {@code logs/error.log} and each process's captured stdout/stderr are printed to
 * the test output and the prefix is kept (large files removed).
 */
public final class PierProcesses implements AfterEachCallback {
    private static final int DUMP_TAIL_LINES = 300;

    /** A process started by the harness and the files its output was captured to. */
    record Launched(String label, Process process, Path stdout, Path stderr) {
    }

    private final List<PierInstance> instances = new CopyOnWriteArrayList<>();
    private final List<Launched> launched = new CopyOnWriteArrayList<>();
    private final Set<ProcessHandle> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A server harness on a fresh temp prefix, cleaned up after the test. */
    public PierInstance newInstance() {
        PierInstance instance = new PierInstance(this, TestPrefix.create());
        instances.add(instance);
        return instance;
    }

    /** A second instance on an existing prefix (its config, logs and leftovers), e.g. to restart after a crash. */
    public PierInstance newInstance(TestPrefix prefix) {
        PierInstance instance = new PierInstance(this, prefix);
        instances.add(instance);
        return instance;
    }

    void launched(Launched l) {
        launched.add(l);
    }

    /** Remembers a process seen during the test (a worker), so it is killed even if its master died first. */
    void seen(ProcessHandle h) {
        seen.add(h);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ProcessHandle> roots = new ArrayList<>(launched.stream().map(l -> l.process().toHandle()).toList());
        // masters not started by the harness: a binary upgrade's new master (a child of the old one, reparented when
        // the old one exits) and any master named by a pid file; freeze and kill them like the launched ones
        for (PierInstance i : instances) {
            for (ProcessHandle h : mastersUnder(i.prefix())) {
                if (!roots.contains(h)) {
                    roots.add(h);
                }
            }
        }
        // freeze the masters first: a master that sees its workers die would respawn them behind our back
        roots.stream().filter(ProcessHandle::isAlive).forEach(h -> stop(h.pid()));
        Set<ProcessHandle> others = new LinkedHashSet<>();
        for (ProcessHandle root : roots) {
            others.addAll(root.descendants().toList().reversed());
        }
        others.addAll(seen);
        for (PierInstance i : instances) {
            others.addAll(runningUnder(i.prefix().root()));
        }
        roots.forEach(others::remove);
        // a frozen master cannot reap its killed workers: they stay zombies until it dies, so wait only afterwards
        List<ProcessHandle> killed = destroyAll(others);
        killAll(roots);
        awaitAll(killed);
        for (PierInstance i : instances) {
            killAll(runningUnder(i.prefix().root())); // anything that slipped through, orphaned meanwhile
        }

        Optional<Throwable> failure = context.getExecutionException();
        if (failure.isPresent()) {
            dump(context.getDisplayName());
        }
        for (PierInstance i : instances) {
            if (failure.isPresent()) {
                i.prefix().deleteLargeFiles();
            } else {
                i.prefix().delete();
            }
        }
        instances.clear();
        launched.clear();
        seen.clear();
    }

    /** SIGKILLs the given processes, then waits up to 5 s for each to be gone. */
    static void killAll(Iterable<ProcessHandle> handles) {
        awaitAll(destroyAll(handles));
    }

    private static List<ProcessHandle> destroyAll(Iterable<ProcessHandle> handles) {
        List<ProcessHandle> killed = new ArrayList<>();
        for (ProcessHandle h : handles) {
            if (h.isAlive() && h.destroyForcibly()) {
                killed.add(h);
            }
        }
        return killed;
    }

    private static void awaitAll(List<ProcessHandle> killed) {
        for (ProcessHandle h : killed) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("[pier-it] process " + h.pid() + " still alive after SIGKILL: " + e);
            }
        }
    }

    /** SIGSTOP, best effort (the process may be gone already). */
    private static void stop(long pid) {
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            System.out.println("[pier-it] kill -STOP " + pid + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The master processes of a prefix that are still alive: those named by {@code logs/pier.pid} or
     * {@code logs/pier.pid.oldbin}, and any other process under the prefix that is not a worker. A pid from a pid file
     * counts only if that process's command line names the prefix (pids are recycled).
     */
    static List<ProcessHandle> mastersUnder(TestPrefix prefix) {
        Set<ProcessHandle> masters = new LinkedHashSet<>();
        String marker = prefix.root().toString();
        for (Path file : List.of(prefix.pidFile(), prefix.oldbinPidFile())) {
            TestPrefix.readPid(file).flatMap(ProcessHandle::of)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .ifPresent(masters::add);
        }
        runningUnder(prefix.root()).stream().filter(h -> WorkerInfo.of(h).isEmpty() && !isClient(h))
                .forEach(masters::add);
        return masters.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** A {@code pier -s ...} or {@code pier -t} run: it talks to a master or checks a config, and ends by itself. */
    private static boolean isClient(ProcessHandle h) {
        List<String> args = List.of(h.info().arguments().orElse(new String[0]));
        return args.contains("-s") || args.contains("-t") || args.contains("-T");
    }

    /** Processes whose command line names our unique temp directory: orphaned workers, whatever their parent now. */
    static List<ProcessHandle> runningUnder(Path root) {
        String marker = root.toString();
        return ProcessHandle.allProcesses()
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    private void dump(String test) {
        StringBuilder sb = new StringBuilder("\n[pier-it] ===== test failed: ").append(test).append(" =====\n");
        for (PierInstance i : instances) {
            sb.append("[pier-it] prefix kept at ").append(i.prefix().dir()).append('\n');
            section(sb, "error.log " + i.prefix().errorLog(), i.prefix().errorLogText());
        }
        for (Launched l : launched) {
            String exit = l.process().isAlive() ? "alive" : "exit " + l.process().exitValue();
            section(sb, l.label() + " (pid " + l.process().pid() + ", " + exit + ") stdout",
                    TestPrefix.readOrEmpty(l.stdout()));
            section(sb, l.label() + " (pid " + l.process().pid() + ") stderr", TestPrefix.readOrEmpty(l.stderr()));
        }
        System.out.println(sb);
    }

    private static void section(StringBuilder sb, String title, String text) {
        List<String> lines = text.lines().toList();
        sb.append("[pier-it] ----- ").append(title).append(" (").append(lines.size()).append(" lines) -----\n");
        if (lines.size() > DUMP_TAIL_LINES) {
            sb.append("[... ").append(lines.size() - DUMP_TAIL_LINES).append(" lines omitted ...]\n");
            lines = lines.subList(lines.size() - DUMP_TAIL_LINES, lines.size());
        }
        lines.forEach(l -> sb.append(l).append('\n'));
    }
}
