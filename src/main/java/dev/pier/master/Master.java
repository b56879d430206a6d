package dev.pier.master;

import dev.pier.PierVersion;
import dev.pier.config.ConfigException;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.ipc.ControlServer;
import dev.pier.log.ErrorLog;
import dev.pier.os.Signal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The master process: owns the sockets, starts and supervises one worker per slot, and reacts to signals and
 * control commands. It is a wait followed by one {@code switch} over {@link MasterEvent}s, like nginx's
 * {@code ngx_master_process_cycle}; it never accepts a connection and has no Netty. The reactions are delegated:
 * {@link Workers} (the pool), {@link Reloads} (a new generation or none), {@link Upgrades} (hand-over between
 * masters) and {@link Steering} (where new connections go); what they share is the {@link Cycle}.
 */
public final class Master {
    /** How long a fast shutdown (TERM/INT) lets workers exit before they are killed. */
    static final Duration STOP_GRACE = Duration.ofMillis(500);

    private final Cycle cycle;
    private final ErrorLog log;
    private final Path controlPath;
    private final Workers workers;
    private final Steering steering;
    private final Reloads reloads;
    private final ControlChannel oldMaster;
    private ControlAcceptor acceptor;
    private ControlServer control;
    private Upgrades upgrades;
    /** {@link System#nanoTime} when {@link Steering#onTick} is due next, with the period it was set for. */
    private long tickDue;
    private long tickPeriod;

    /** {@code oldMaster}: in the new master of a binary upgrade, the link to the old one; else null. */
    private Master(PierConfig config, List<String> globalDirectives, SocketTable sockets, ErrorLog log,
                   Path controlPath, ControlChannel oldMaster) {
        this.cycle = new Cycle(config, globalDirectives, sockets, log);
        this.log = log;
        this.controlPath = controlPath;
        this.oldMaster = oldMaster;
        WorkerSpawner spawner = new WorkerSpawner(() -> control != null ? control.path() : controlPath);
        // the pool reports a failed start or death of a reload's worker, and a death that changes the served slots
        this.workers = new Workers(cycle, spawner, this::failReload, this::steer);
        this.steering = new Steering(cycle, workers);
        this.reloads = new Reloads(cycle, workers, steering);
    }

    private void failReload(String why) {
        reloads.fail(why);
    }

    private void steer() {
        steering.steer();
    }

    /** The control socket lives beside the pid file, in the directory the master owns. */
    public static Path controlSocketPath(PierConfig config) {
        return config.main().pid().toAbsolutePath().resolveSibling("pier.sock");
    }

    /**
     * Opens every socket (nothing is started if one fails), writes the pid file, starts the workers and runs until
     * shut down. Returns the exit code.
     */
    public static int run(PierConfig config, List<String> globalDirectives, ErrorLog log)
            throws IOException, ConfigException {
        WorkerUser.check(config.main(), log); // an unknown user stops the start before any socket is opened
        String inheritFrom = System.getenv(Upgrade.INHERIT_ENV);
        if (inheritFrom == null) {
            SocketTable sockets = SocketTable.open(config.listenSpecs(), config.main().workerProcesses());
            return new Master(config, globalDirectives, sockets, log, controlSocketPath(config), null).loop();
        }
        // a new master of a binary upgrade: take every socket from the old master, open only what is new
        ControlChannel link = ControlChannel.connect(Path.of(inheritFrom));
        SocketTable sockets;
        try {
            link.send(new ControlMessage.Hello(ControlMessage.Role.MASTER, ProcessHandle.current().pid()));
            ControlChannel.Received r = link.receive();
            if (!(r.message() instanceof ControlMessage.Handoff h)) {
                throw new IOException("the old master sent " + r.message() + " instead of its sockets");
            }
            sockets = SocketTable.adopt(h, r.fds());
            log.notice("took over " + h.sockets().size() + " listening sockets from the old master process");
            sockets.prepare(config.listenSpecs(), config.main().workerProcesses(), log);
        } catch (IOException e) {
            link.close();
            throw e;
        }
        return new Master(config, globalDirectives, sockets, log, controlSocketPath(config), link).loop();
    }

    private int loop() throws IOException {
        dev.pier.os.ProcessTitle.set("pier:master");
        try {
            control = ControlServer.listen(controlPath);
            acceptor = new ControlAcceptor(control, cycle::post, log);
        } catch (IOException e) {
            cycle.sockets.close();
            throw e;
        }
        upgrades = new Upgrades(cycle, workers, control, controlPath, oldMaster);
        acceptor.start();
        String route = SignalSource.start(cycle::post, log);
        PidFile.write(cycle.config.main().pid(), cycle.pid);
        log.notice("pier/" + PierVersion.VERSION + " master process " + cycle.pid + " started, "
                + cycle.sockets.socketCount() + " listening sockets, signals via " + route);
        logMigrateReq();
        steering.steerToAllSlots();
        WorkerFiles.prepare(cycle.config, log);
        workers.startAll();
        try {
            while (cycle.running() || !workers.isEmpty()) {
                MasterEvent e = next();
                if (e != null) {
                    react(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdownResources();
        }
        log.notice("exit");
        return 0;
    }

    /**
     * Waits for the next event, or runs the periodic check ({@link Steering#onTick}) when it is due first and returns
     * null. When there is nothing to check the wait has no end: an idle master wakes only for an event.
     */
    private MasterEvent next() throws InterruptedException {
        long period = TimeUnit.MILLISECONDS.toNanos(steering.tickMillis());
        if (period == 0) {
            tickPeriod = 0;
            return cycle.events.take();
        }
        long now = System.nanoTime();
        if (period != tickPeriod) {
            tickPeriod = period;
            tickDue = now + period;
        }
        MasterEvent e = tickDue - now > 0 ? cycle.events.poll(tickDue - now, TimeUnit.NANOSECONDS) : null;
        if (e == null) {
            steering.onTick(upgrades.twoMasters());
            tickDue = System.nanoTime() + period;
        }
        return e;
    }

    /**
     * Pier never needs {@code net.ipv4.tcp_migrate_req} (queues are drained before a socket closes) and never changes
     * it; where an operator turned it on it is a second line of defence, and the log says so.
     */
    private void logMigrateReq() {
        try {
            String v = java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).strip();
            if (v.equals("1")) {
                log.notice("net.ipv4.tcp_migrate_req is 1: the kernel also migrates connections queued on a closed "
                        + "reuseport socket (Pier drains retiring sockets anyway)");
            }
        } catch (IOException | RuntimeException e) {
            // an older kernel without the setting: draining alone covers it
        }
    }

    private void react(MasterEvent e) {
        switch (e) {
            case MasterEvent.Signalled s -> onSignal(s.signal());
            case MasterEvent.Command c -> onCommand(c.name(), c.channel());
            case MasterEvent.WorkerHello h -> workers.onHello(h.channel(), h.pid());
            case MasterEvent.FromWorker f -> onWorkerMessage(f.worker(), f.message());
            case MasterEvent.WorkerExited x -> onWorkerExit(x.worker());
            case MasterEvent.RespawnDue r -> workers.onRespawnDue(r.slot(), r.generation());
            case MasterEvent.ReloadDeadline d -> reloads.onDeadline(d.generation());
            case MasterEvent.StopDeadline d -> workers.killAll();
            case MasterEvent.MasterHello h -> upgrades.onNewMasterHello(h.channel(), h.pid());
            case MasterEvent.NewMasterReady r -> {
                if (upgrades.onNewMasterReady()) {
                    stopWorkers();
                    quit();
                }
            }
            case MasterEvent.NewMasterExited x -> {
                if (upgrades.onNewMasterExited(x.process()) && cycle.workersStopped && cycle.running()) {
                    reloads.reload(null); // nginx restarts the workers when the new binary goes away after WINCH
                }
            }
            case MasterEvent.UpgradeDeadline d -> upgrades.onDeadline(d.pid());
            case MasterEvent.OldMasterGone g -> upgrades.onOldMasterGone();
        }
    }

    private void onSignal(Signal s) {
        log.notice("signal " + s.number() + " (SIG" + s.name() + ") received");
        switch (s) {
            case TERM, INT -> stop();
            case QUIT -> quit();
            case HUP -> reloads.reload(null);
            case USR1 -> reopen();
            case USR2 -> upgrades.start(false, null);
            case WINCH -> stopWorkers();
            default -> {
            }
        }
    }

    private void onCommand(String name, ControlChannel ch) {
        switch (name) {
            case "stop" -> {
                ControlLinks.answer(ch, true, "");
                stop();
            }
            case "quit" -> {
                ControlLinks.answer(ch, true, "");
                quit();
            }
            case "reopen" -> {
                reopen();
                ControlLinks.answer(ch, true, "");
            }
            case "reload" -> reloads.reload(ch);
            case "upgrade" -> upgrades.start(true, ch);
            default -> ControlLinks.answer(ch, false, "\"" + name + "\" is not supported by this master yet");
        }
    }

    /** A worker reported ready: it may complete a reload, change where connections go, or finish an upgrade. */
    private void onWorkerMessage(WorkerProcess w, ControlMessage m) {
        if (!workers.onReady(w, m)) {
            return;
        }
        if (cycle.pendingFor(w.generation())) {
            reloads.onReady(w);
        } else if (w.generation() == cycle.generation) {
            steering.steer();
        }
        upgrades.reportReadyIfServing();
    }

    private void onWorkerExit(WorkerProcess w) {
        workers.remove(w);
        if (!upgrades.oldMasterHoldsSockets()) {
            // while an old master still holds the sockets, closing ours would not close them: keep the index model
            workers.retireSockets();
        }
        workers.onExit(w);
    }

    // ---- shutdown and logs ---------------------------------------------------------------------------------

    /** WINCH: gracefully stop the workers but keep the master and its sockets (nginx's upgrade sequence). */
    private void stopWorkers() {
        if (!cycle.running() || cycle.workersStopped) {
            return;
        }
        cycle.workersStopped = true;
        log.notice("gracefully stopping worker processes");
        workers.quitAll(true);
    }

    private void quit() {
        if (!cycle.running()) {
            return;
        }
        cycle.state = Cycle.State.QUITTING;
        log.notice("gracefully shutting down");
        workers.quitAll(true);
    }

    private void stop() {
        if (cycle.state == Cycle.State.STOPPING) {
            return;
        }
        cycle.state = Cycle.State.STOPPING;
        log.notice("shutting down");
        workers.quitAll(false);
        cycle.after(STOP_GRACE.toMillis(), new MasterEvent.StopDeadline());
    }

    private void reopen() {
        log.notice("reopening logs");
        try {
            log.reopen();
        } catch (IOException e) {
            log.alert("cannot reopen the error log: " + e.getMessage());
        }
        WorkerFiles.prepare(cycle.config, log); // rotation left new files (or none): hand them to the worker user first
        workers.sendAll(new ControlMessage.ReopenLogs());
    }

    private void shutdownResources() {
        acceptor.close(); // removes the control socket file under its current name
        Path pidFile = cycle.config.main().pid();
        PidFile.removeIfOurs(pidFile, cycle.pid);
        PidFile.removeIfOurs(pidFile.resolveSibling(pidFile.getFileName() + Upgrade.OLDBIN), cycle.pid);
        upgrades.close();
        cycle.sockets.close();
        WorkerFiles.removeZoneFiles(cycle.pid);
        cycle.timers.shutdownNow();
    }
}
