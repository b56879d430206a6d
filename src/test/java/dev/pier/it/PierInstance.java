package dev.pier.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Pier server under test, nginx-tests style: a {@link TestPrefix}, a config written into it, and the real
 * {@code ${pier.home}/bin/pier} started on it with {@code -p PREFIX -c conf/pier.conf}. The launched process is the
 * master (the launcher execs java), its children are the workers. Create it with {@link PierProcesses#newInstance()}
 * so every process is killed after the test.
 */
public final class PierInstance {
    /** How long {@link #start} waits for every listen port, and {@link #run} for a CLI call to finish. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LISTEN = Pattern.compile("(?m)^\\s*listen\\s+(?:127\\.0\\.0\\.1|localhost):(\\d+)");

    private final PierProcesses registry;
    private final TestPrefix prefix;
    private Process master;
    private int masterLaunch;
    private int launches;
    private final java.util.Map<String, String> env = new java.util.LinkedHashMap<>();

    PierInstance(PierProcesses registry, TestPrefix prefix) {
        this.registry = registry;
        this.prefix = prefix;
    }

    public TestPrefix prefix() {
        return prefix;
    }

    /** Writes {@code conf/pier.conf}. */
    public PierInstance writeConf(String conf) {
        prefix.writeConf(conf);
        return this;
    }

    /**
     * Sets an environment variable for every process launched from now on (e.g. {@code PIER_WORKER_OPTS=-Xmx64m},
     * which the master passes to its workers' JVMs).
     */
    public PierInstance env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The launcher, {@code ${pier.home}/bin/pier}. */
    public static Path launcher() {
        Path p = TestPrefix.pierHome().resolve("bin/pier");
        if (!Files.isExecutable(p)) {
            throw new AssertionError("no executable launcher at " + p + " (server not built or merged yet?)");
        }
        return p;
    }

    /**
     * Starts {@code bin/pier -p PREFIX -c conf/pier.conf ARGS...} in the foreground and waits until every
     * {@code listen 127.0.0.1:P} port of the config accepts TCP connections. Fails (with the captured output) if the
     * process exits first or {@link #START_TIMEOUT} passes.
     */
    public PierInstance start(String... args) {
        if (master != null) {
            throw new IllegalStateException("already started");
        }
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "-p", prefix.dir().toString(),
                "-c", "conf/pier.conf"));
        cmd.addAll(List.of(args));
        master = launch("master", cmd);
        masterLaunch = launches;
        List<Integer> ports = listenPorts(readConf());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Set<Integer> waiting = new LinkedHashSet<>(ports);
        while (!waiting.isEmpty()) {
            if (!master.isAlive()) {
                throw new AssertionError("pier exited with code " + master.exitValue() + " before listening on "
                        + waiting + "\n" + output());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("pier not listening on " + waiting + " after " + START_TIMEOUT + "\n"
                        + output());
            }
            waiting.removeIf(PierInstance::accepts);
            if (!waiting.isEmpty()) {
                Await.sleep(50);
            }
        }
        return this;
    }

    /**
     * Runs one short {@code bin/pier ARGS... -p PREFIX -c conf/pier.conf} (e.g. {@code -t}, {@code -s quit}) and
     * waits for it to end; fails if it is still running after {@link #START_TIMEOUT}.
     */
    public CliResult run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-p", prefix.dir().toString(), "-c", "conf/pier.conf"));
        Process p = launch("cli " + String.join(" ", args), cmd);
        try {
            if (!p.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("pier " + String.join(" ", args) + " still running after " + START_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        int n = launches;
        return new CliResult(p.exitValue(), read(out(n)), read(err(n)));
    }

    /** The master's process (the launched one). */
    public Process process() {
        if (master == null) {
            throw new IllegalStateException("not started");
        }
        return master;
    }

    public long masterPid() {
        return process().pid();
    }

    /**
     * The live children of the master that serve a slot: its workers. A spare (started with slot -1 and holding no
     * listening socket yet) is not counted; once it takes over a slot it holds the slot's sockets and counts. A child
     * that has not yet become a worker JVM (between the master's fork and its exec, its command line is still the
     * master's) is not counted either: it may turn out to be a spare. Each child seen is remembered for clean-up.
     */
    public List<ProcessHandle> workers() {
        List<ProcessHandle> all = process().toHandle().children().filter(ProcessHandle::isAlive).toList();
        all.forEach(registry::seen);
        return all.stream().filter(p -> isWorkerJvm(p) && !isSpare(p)).toList();
    }

    private static boolean isWorkerJvm(ProcessHandle p) {
        return java.util.Arrays.asList(p.info().arguments().orElse(new String[0])).contains("--worker");
    }

    /** All live children, spares included. */
    public List<ProcessHandle> children() {
        List<ProcessHandle> all = process().toHandle().children().filter(ProcessHandle::isAlive).toList();
        all.forEach(registry::seen);
        return all;
    }

    private static boolean isSpare(ProcessHandle p) {
        String[] args = p.info().arguments().orElse(new String[0]);
        boolean spareArgs = false;
        for (int i = 0; i + 2 < args.length; i++) {
            if (args[i].equals("--worker") && args[i + 2].equals("-1")) {
                spareArgs = true;
            }
        }
        try {
            return spareArgs && ProcNet.listening(p.pid()).isEmpty();
        } catch (Exception e) {
            return spareArgs;
        }
    }

    /** The worker pids, sorted. */
    public List<Long> workerPids() {
        return workers().stream().map(ProcessHandle::pid).sorted().toList();
    }

    /**
     * The live workers of master {@code masterPid} (the launched one, or a binary upgrade's new master), with the slot
     * and generation from their command lines. Each one seen is remembered for clean-up.
     */
    public List<WorkerInfo> workersOf(long masterPid) {
        List<WorkerInfo> w = ProcessHandle.of(masterPid).stream().flatMap(ProcessHandle::children)
                .filter(ProcessHandle::isAlive).flatMap(h -> WorkerInfo.of(h).stream())
                .filter(i -> i.slot() >= 0) // spares serve nothing yet
                .sorted(java.util.Comparator.comparingLong(WorkerInfo::generation).thenComparingInt(WorkerInfo::slot))
                .toList();
        w.forEach(i -> registry.seen(i.handle()));
        return w;
    }

    /** The launched master's live workers with their slots and generations. */
    public List<WorkerInfo> workerInfos() {
        return workersOf(masterPid());
    }

    /** The pid in {@code logs/pier.pid}, if any. */
    public java.util.Optional<Long> pidFromFile() {
        return TestPrefix.readPid(prefix.pidFile());
    }

    /** The pid in {@code logs/pier.pid.oldbin}, if any. */
    public java.util.Optional<Long> oldbinPid() {
        return TestPrefix.readPid(prefix.oldbinPidFile());
    }

    /** Every live master process of this prefix, however it was started (see {@link PierProcesses#mastersUnder}). */
    public List<Long> masterPids() {
        List<ProcessHandle> m = PierProcesses.mastersUnder(prefix);
        m.forEach(registry::seen);
        return m.stream().map(ProcessHandle::pid).sorted().toList();
    }

    /** Every live process of this prefix (masters and workers), by command line. */
    public List<Long> allPids() {
        return PierProcesses.runningUnder(prefix.root()).stream().filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid).sorted().toList();
    }

    /** Waits until exactly {@code count} workers are alive and returns them. */
    public List<ProcessHandle> awaitWorkers(int count, Duration timeout) {
        java.util.concurrent.atomic.AtomicReference<List<ProcessHandle>> seen = new java.util.concurrent.atomic
                .AtomicReference<>(List.of());
        Await.until(timeout, () -> "expected " + count + " workers, have " + workerPids(), () -> {
            seen.set(workers());
            return seen.get().size() == count;
        });
        return seen.get(); // the observation that matched, not a second one that may differ
    }

    /** Sends a signal to the master with {@code kill -SIG PID} (e.g. "QUIT", "TERM", "HUP", "KILL"). */
    public void signal(String sig) {
        signal(sig, masterPid());
    }

    /** Sends a signal to any process with {@code kill -SIG PID}. */
    public static void signal(String sig, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes());
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + sig + " " + pid + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the master to exit and returns its exit code; fails if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("master " + masterPid() + " still running after " + timeout.toMillis()
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return master.exitValue();
    }

    /** The master's captured stdout and stderr, for assertion messages. */
    public String output() {
        return "--- master stdout ---\n" + read(out(masterLaunch))
                + "--- master stderr ---\n" + read(err(masterLaunch))
                + "--- error.log ---\n" + prefix.errorLogText();
    }

    public String masterStderr() {
        return read(err(masterLaunch));
    }

    /** The ports of every {@code listen 127.0.0.1:P} line of a config. */
    public static List<Integer> listenPorts(String conf) {
        List<Integer> ports = new ArrayList<>();
        Matcher m = LISTEN.matcher(conf);
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        return ports.stream().distinct().toList();
    }

    /** True if 127.0.0.1:port completes a TCP handshake now. */
    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process launch(String label, List<String> cmd) {
        int n = ++launches;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            Process p = pb
                    .directory(prefix.cwd().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out(n).toFile())
                    .redirectError(err(n).toFile())
                    .start();
            registry.launched(new PierProcesses.Launched(label + " #" + n, p, out(n), err(n)));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("start " + cmd, e);
        }
    }

    private String readConf() {
        return read(prefix.confFile());
    }

    private Path out(int n) {
        return prefix.root().resolve("launch-" + n + ".stdout");
    }

    private Path err(int n) {
        return prefix.root().resolve("launch-" + n + ".stderr");
    }

    private static String read(Path p) {
        return TestPrefix.readOrEmpty(p);
    }
}
