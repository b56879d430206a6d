package dev.pier.master;

import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.ipc.ControlServer;
import dev.pier.log.ErrorLog;
import dev.pier.os.Signal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The master process: owns the sockets, starts and supervises one worker per slot, and reacts to signals and
 * control commands. It is a wait followed by one {@code switch} over {@link MasterEvent}s, like nginx's
 * {@code ngx_master_process_cycle}; it never accepts a connection and has no Netty.
 */
public final class Master {
    /** How long a fast shutdown (TERM/INT) lets workers exit before they are killed. */
    static final Duration STOP_GRACE = Duration.ofMillis(600);

    private enum State { RUNNING, QUITTING, STOPPING }

    private final PierConfig config;
    private final ListenerTable sockets;
    private final ErrorLog log;
    private final Path controlPath;
    private final List<String> globalDirectives;
    private final BlockingQueue<MasterEvent> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pier-timers");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, WorkerProcess> workers = new HashMap<>();
    private final RespawnBackoff backoff;
    private final WorkerSpawner spawner;
    private final long pid = ProcessHandle.current().pid();
    private ControlAcceptor acceptor;
    private long generation = 1;
    private State state = State.RUNNING;

    private Master(PierConfig config, List<String> globalDirectives, ListenerTable sockets, ErrorLog log,
                   Path controlPath) {
        this.config = config;
        this.globalDirectives = List.copyOf(globalDirectives);
        this.sockets = sockets;
        this.log = log;
        this.controlPath = controlPath;
        this.backoff = new RespawnBackoff(config.main().workerProcesses());
        this.spawner = new WorkerSpawner(controlPath);
    }

    /** The control socket lives beside the pid file, in the directory the master owns. */
    public static Path controlSocketPath(PierConfig config) {
        return config.main().pid().toAbsolutePath().resolveSibling("pier.sock");
    }

    /**
     * Opens every socket (nothing is started if one fails), writes the pid file, starts the workers and runs until
     * shut down. Returns the exit code.
     */
    public static int run(PierConfig config, List<String> globalDirectives, ErrorLog log) throws IOException {
        ListenerTable sockets = ListenerTable.open(config.listenSpecs(), config.main().workerProcesses());
        Path control = controlSocketPath(config);
        Master m = new Master(config, globalDirectives, sockets, log, control);
        return m.loop();
    }

    private int loop() throws IOException {
        ControlServer server = ControlServer.listen(controlPath);
        acceptor = new ControlAcceptor(server, events::add, log);
        acceptor.start();
        String route = SignalSource.start(events::add, log);
        PidFile.write(config.main().pid(), pid);
        log.notice("pier/" + dev.pier.PierVersion.VERSION + " master process " + pid + " started, "
                + sockets.socketCount() + " listening sockets, signals via " + route);
        for (int slot = 0; slot < config.main().workerProcesses(); slot++) {
            spawn(slot);
        }
        try {
            while (!(state != State.RUNNING && workers.isEmpty())) {
                MasterEvent e = events.take();
                react(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdownResources();
        }
        log.notice("exit");
        return 0;
    }

    private void react(MasterEvent e) {
        switch (e) {
            case MasterEvent.Signalled s -> onSignal(s.signal());
            case MasterEvent.Command c -> onCommand(c.name(), c.channel());
            case MasterEvent.WorkerHello h -> onHello(h.channel(), h.pid());
            case MasterEvent.FromWorker f -> onWorkerMessage(f.worker(), f.message());
            case MasterEvent.WorkerExited x -> onExit(x.worker());
            case MasterEvent.RespawnDue r -> {
                if (state == State.RUNNING && r.generation() == generation && !slotTaken(r.slot())) {
                    spawn(r.slot());
                }
            }
            case MasterEvent.StopDeadline d -> {
                for (WorkerProcess w : workers.values()) {
                    w.process().destroyForcibly();
                }
            }
        }
    }

    private void onSignal(Signal s) {
        log.notice("signal " + s.number() + " (SIG" + s.name() + ") received");
        switch (s) {
            case TERM, INT -> stop();
            case QUIT -> quit();
            case HUP -> log.notice("reconfiguring is not available yet; configuration unchanged");
            case USR1 -> reopen();
            case USR2 -> log.notice("binary upgrade is not available yet");
            case WINCH -> log.notice("gracefully stopping workers on WINCH is not available yet");
            default -> {
            }
        }
    }

    private void onCommand(String name, ControlChannel ch) {
        boolean ok = true;
        String message = "";
        switch (name) {
            case "stop" -> stop();
            case "quit" -> quit();
            case "reopen" -> reopen();
            default -> {
                ok = false;
                message = "\"" + name + "\" is not supported by this master yet";
            }
        }
        try (ch) {
            ch.send(new ControlMessage.CommandResult(ok, message));
        } catch (Exception ignored) {
            // the client went away; the command stands
        }
    }

    private void onHello(ControlChannel ch, long peerPid) {
        WorkerProcess w = workers.get(peerPid);
        if (w == null || w.connected()) {
            log.alert("control connection from process " + peerPid + " that is not a worker of this master: refused");
            closeQuietly(ch);
            return;
        }
        w.attach(ch);
        if (state != State.RUNNING) {
            w.send(new ControlMessage.Quit(state == State.QUITTING));
            return;
        }
        ControlMessage.Assign assign = new ControlMessage.Assign(w.generation(), w.slot(), config.prefix().toString(),
                config.file().toString(), globalDirectives, sockets.specs());
        try {
            ch.send(assign, sockets.fdsForSlot(w.slot()));
        } catch (IOException ex) {
            log.alert("cannot hand sockets to " + w + ": " + ex.getMessage());
            w.process().destroyForcibly();
            return;
        }
        Thread reader = new Thread(() -> readWorker(w, ch), "pier-worker-" + w.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void readWorker(WorkerProcess w, ControlChannel ch) {
        try {
            while (true) {
                events.add(new MasterEvent.FromWorker(w, ch.receive().message()));
            }
        } catch (IOException eof) {
            // the exit watcher reports the process's end
        }
    }

    private void onWorkerMessage(WorkerProcess w, ControlMessage m) {
        if (m instanceof ControlMessage.Ready) {
            if (w.state() == WorkerProcess.State.STARTING) {
                w.state(WorkerProcess.State.READY);
            }
            log.notice(w + " ready");
        }
    }

    private void onExit(WorkerProcess w) {
        workers.remove(w.pid());
        w.closeChannel();
        int code = w.process().exitValue();
        if (state != State.RUNNING || w.state() == WorkerProcess.State.QUITTING) {
            log.notice(w + " exited with code " + code);
            return;
        }
        log.alert(w + " exited unexpectedly with code " + code + "; respawning its slot");
        if (w.generation() != generation || slotTaken(w.slot())) {
            return;
        }
        Duration delay = backoff.onDeath(w.slot(), w.started(), Instant.now());
        if (delay.isZero()) {
            spawn(w.slot());
        } else {
            log.alert("slot " + w.slot() + " keeps failing right after start; next try in " + delay.toMillis() + "ms");
            int slot = w.slot();
            long gen = generation;
            timers.schedule(() -> events.add(new MasterEvent.RespawnDue(slot, gen)), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private boolean slotTaken(int slot) {
        return workers.values().stream().anyMatch(w -> w.slot() == slot && w.generation() == generation
                && w.state() != WorkerProcess.State.QUITTING);
    }

    private void spawn(int slot) {
        try {
            Process p = spawner.spawn(slot, generation);
            WorkerProcess w = new WorkerProcess(slot, generation, p, Instant.now());
            workers.put(w.pid(), w);
            p.onExit().thenRun(() -> events.add(new MasterEvent.WorkerExited(w)));
            log.notice("start " + w);
        } catch (IOException e) {
            log.alert("could not start a worker process for slot " + slot + ": " + e.getMessage());
            long gen = generation;
            timers.schedule(() -> events.add(new MasterEvent.RespawnDue(slot, gen)), 1, TimeUnit.SECONDS);
        }
    }

    private void quit() {
        if (state != State.RUNNING) {
            return;
        }
        state = State.QUITTING;
        log.notice("gracefully shutting down");
        for (WorkerProcess w : workers.values()) {
            w.state(WorkerProcess.State.QUITTING);
            w.send(new ControlMessage.Quit(true));
        }
    }

    private void stop() {
        if (state == State.STOPPING) {
            return;
        }
        state = State.STOPPING;
        log.notice("shutting down");
        for (WorkerProcess w : workers.values()) {
            w.state(WorkerProcess.State.QUITTING);
            w.send(new ControlMessage.Quit(false));
        }
        timers.schedule(() -> events.add(new MasterEvent.StopDeadline()), STOP_GRACE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void reopen() {
        log.notice("reopening logs");
        try {
            log.reopen();
        } catch (IOException e) {
            log.alert("cannot reopen the error log: " + e.getMessage());
        }
        for (WorkerProcess w : new ArrayList<>(workers.values())) {
            w.send(new ControlMessage.ReopenLogs());
        }
    }

    private void shutdownResources() {
        acceptor.close();
        try {
            java.nio.file.Files.deleteIfExists(controlPath);
        } catch (IOException ignored) {
            // best effort
        }
        PidFile.removeIfOurs(config.main().pid(), pid);
        sockets.close();
        timers.shutdownNow();
    }

    private static void closeQuietly(ControlChannel ch) {
        try {
            ch.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

}
