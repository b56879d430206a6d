package dev.pier.master;

import dev.pier.PierVersion;
import dev.pier.config.ConfigException;
import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.ipc.ControlServer;
import dev.pier.log.ErrorLog;
import dev.pier.os.Posix;
import dev.pier.os.Signal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The master process: owns the sockets, starts and supervises one worker per slot, and reacts to signals and
 * control commands. It is a wait followed by one {@code switch} over {@link MasterEvent}s, like nginx's
 * {@code ngx_master_process_cycle}; it never accepts a connection and has no Netty.
 */
public final class Master {
    /** How long a fast shutdown (TERM/INT) lets workers exit before they are killed. */
    static final Duration STOP_GRACE = Duration.ofMillis(500);
    /** How long a reload waits for every new worker to report ready. */
    static final Duration RELOAD_LIMIT = Duration.ofSeconds(30);
    /**
     * How long a retiring socket must have had an empty accept queue before it is closed: longer than the first
     * SYN/ACK retransmission (1 s), so a handshake begun on it before it was steered away still completes there.
     */
    static final Duration RETIRE_QUIET = Duration.ofMillis(2000);
    /** How often the accept queues are sampled for stalled workers ({@link StallWatch}). */
    static final long STALL_CHECK = 100;

    private enum State { RUNNING, QUITTING, STOPPING }

    private final SocketTable sockets;
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
    private final WorkerSpawner spawner;
    private final long pid = ProcessHandle.current().pid();
    private PierConfig config;
    private RespawnBackoff backoff;
    private ControlAcceptor acceptor;
    private ControlServer control;
    /** A binary upgrade this master started (it is the old master), or null. */
    private Upgrade upgrade;
    /** In a new master: the link to the old master that handed over the sockets, until it is gone. */
    private ControlChannel oldMaster;
    private boolean readySentToOldMaster;
    private long generation = 1;
    private PendingReload pending;
    /** A reload was asked for while another was under way; it runs when that one ends. */
    private boolean reloadAgain;
    private final List<ControlChannel> nextReloadWaiters = new ArrayList<>();
    /** WINCH: workers were told to stop; the master keeps its sockets and waits (binary upgrade sequence). */
    private boolean workersStopped;
    private final StallWatch stallWatch = new StallWatch();
    private Set<Integer> stalled = Set.of();
    private final Set<Long> reportedIntruders = new HashSet<>();
    private int ticks;
    private State state = State.RUNNING;

    private Master(PierConfig config, List<String> globalDirectives, SocketTable sockets, ErrorLog log,
                   Path controlPath) {
        this.config = config;
        this.globalDirectives = List.copyOf(globalDirectives);
        this.sockets = sockets;
        this.log = log;
        this.controlPath = controlPath;
        this.backoff = new RespawnBackoff(config.main().workerProcesses());
        this.spawner = new WorkerSpawner(() -> control != null ? control.path() : controlPath);
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
        checkUser(config, log); // an unknown user stops the start before any socket is opened
        String inheritFrom = System.getenv(Upgrade.INHERIT_ENV);
        if (inheritFrom == null) {
            SocketTable sockets = SocketTable.open(config.listenSpecs(), config.main().workerProcesses());
            return new Master(config, globalDirectives, sockets, log, controlSocketPath(config)).loop();
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
        Master m = new Master(config, globalDirectives, sockets, log, controlSocketPath(config));
        m.oldMaster = link;
        return m.loop();
    }

    private int loop() throws IOException {
        dev.pier.os.ProcessTitle.set("pier:master");
        try {
            control = ControlServer.listen(controlPath);
            acceptor = new ControlAcceptor(control, events::add, log);
        } catch (IOException e) {
            sockets.close();
            throw e;
        }
        acceptor.start();
        String route = SignalSource.start(events::add, log);
        PidFile.write(config.main().pid(), pid);
        log.notice("pier/" + PierVersion.VERSION + " master process " + pid + " started, "
                + sockets.socketCount() + " listening sockets, signals via " + route);
        logMigrateReq();
        sockets.steer(allSlots(), log);
        prepareWorkerFiles(config);
        startWorkers();
        timers.scheduleWithFixedDelay(() -> events.add(new MasterEvent.StallCheck()), STALL_CHECK, STALL_CHECK,
                TimeUnit.MILLISECONDS);
        try {
            while (!(state != State.RUNNING && workers.isEmpty())) {
                react(events.take());
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

    /**
     * Resolves {@code config}'s worker user (nginx's {@code getpwnam("x") failed} when it does not exist) and logs
     * nginx's warning when {@code user} is written but the master is not root.
     */
    private static Optional<WorkerUser> checkUser(PierConfig config, ErrorLog log) throws ConfigException {
        boolean root = Posix.geteuid() == 0;
        WorkerUser.ignoredWarning(config.main(), root).ifPresent(log::warn);
        return WorkerUser.resolve(config.main(), root);
    }

    /** Before workers of {@code c} start or reopen their logs: the files they write belong to their user. */
    private void prepareWorkerFiles(PierConfig c) {
        try {
            WorkerFiles.prepare(c, WorkerUser.resolve(c.main(), Posix.geteuid() == 0), log);
        } catch (ConfigException e) {
            log.alert(e.getMessage()); // the user vanished since the configuration was read; workers will fail too
        }
    }

    private void react(MasterEvent e) {
        switch (e) {
            case MasterEvent.Signalled s -> onSignal(s.signal());
            case MasterEvent.Command c -> onCommand(c.name(), c.channel());
            case MasterEvent.WorkerHello h -> onHello(h.channel(), h.pid());
            case MasterEvent.FromWorker f -> onWorkerMessage(f.worker(), f.message());
            case MasterEvent.WorkerExited x -> onExit(x.worker());
            case MasterEvent.RespawnDue r -> {
                if (r.slot() < 0) {
                    topUpSpares();
                } else if (state == State.RUNNING && !workersStopped && r.generation() == generation
                        && !slotTaken(r.slot())) {
                    startWorker(r.slot(), generation);
                }
            }
            case MasterEvent.ReloadDeadline d -> {
                if (pending != null && pending.generation == d.generation()) {
                    failReload("new worker processes did not report ready within " + RELOAD_LIMIT.toSeconds() + "s");
                }
            }
            case MasterEvent.StopDeadline d -> workers.values().forEach(w -> w.process().destroyForcibly());
            case MasterEvent.StallCheck c -> {
                checkStalls();
                if (++ticks % 10 == 0) {
                    checkIntruders();
                }
            }
            case MasterEvent.MasterHello h -> onNewMasterHello(h.channel(), h.pid());
            case MasterEvent.NewMasterReady r -> onNewMasterReady();
            case MasterEvent.NewMasterExited x -> onNewMasterExited(x.process());
            case MasterEvent.UpgradeDeadline d -> {
                if (upgrade != null && !upgrade.ready && upgrade.newMaster.pid() == d.pid()) {
                    log.alert("new master process " + d.pid() + " did not start serving within "
                            + Upgrade.READY_LIMIT.toSeconds() + "s; stopping it");
                    upgrade.newMaster.destroyForcibly(); // its exit restores this master's names
                }
            }
            case MasterEvent.OldMasterGone g -> {
                log.notice("the old master process has exited");
                oldMaster = null;
                sockets.retire(config.listenSpecs(), config.main().workerProcesses(), heldSlots(), log);
            }
        }
    }

    private void onSignal(Signal s) {
        log.notice("signal " + s.number() + " (SIG" + s.name() + ") received");
        switch (s) {
            case TERM, INT -> stop();
            case QUIT -> quit();
            case HUP -> reload(null);
            case USR1 -> reopen();
            case USR2 -> startUpgrade(false, null);
            case WINCH -> stopWorkers();
            default -> {
            }
        }
    }

    private void onCommand(String name, ControlChannel ch) {
        switch (name) {
            case "stop" -> {
                answer(ch, true, "");
                stop();
            }
            case "quit" -> {
                answer(ch, true, "");
                quit();
            }
            case "reopen" -> {
                reopen();
                answer(ch, true, "");
            }
            case "reload" -> reload(ch);
            case "upgrade" -> startUpgrade(true, ch);
            default -> answer(ch, false, "\"" + name + "\" is not supported by this master yet");
        }
    }

    private static void answer(ControlChannel ch, boolean ok, String message) {
        try (ch) {
            ch.send(new ControlMessage.CommandResult(ok, message));
        } catch (Exception ignored) {
            // the client went away; the outcome stands
        }
    }

    // ---- workers -------------------------------------------------------------------------------------------

    private void startWorkers() {
        for (int slot = 0; slot < config.main().workerProcesses(); slot++) {
            spawn(slot, generation);
        }
        topUpSpares();
    }

    /** Starts spares until {@code worker_spares} of them exist. */
    private void topUpSpares() {
        if (state != State.RUNNING) {
            return;
        }
        long spares = workers.values().stream().filter(w -> w.state() == WorkerProcess.State.SPARE).count();
        for (long n = spares; n < config.main().workerSpares(); n++) {
            spawn(-1, generation);
        }
    }

    /**
     * Gives {@code slot} a worker: a connected, warmed spare if there is one (it serves within tens of
     * milliseconds), else a new JVM. A spare taken is replaced when it reports ready.
     */
    private void startWorker(int slot, long gen) {
        PierConfig target = pending != null && gen == pending.generation ? pending.config : config;
        // a spare already runs as the current configuration's user: it cannot serve one that names another
        WorkerProcess spare = !target.main().user().equals(config.main().user()) ? null : workers.values().stream()
                .filter(w -> w.state() == WorkerProcess.State.SPARE && w.connected()).findFirst().orElse(null);
        if (spare == null) {
            spawn(slot, gen);
            return;
        }
        spare.takeSlot(slot, gen);
        log.notice("spare " + spare.pid() + " takes over: " + spare);
        if (pending != null && gen == pending.generation) {
            pending.notReady.add(spare.pid());
        }
        assign(spare);
        // the next spare is started once this one reports ready: a JVM starting up takes both cores of a small
        // machine for a second, which would slow down exactly the take-over it is meant to speed up
    }

    private void spawn(int slot, long gen) {
        try {
            Process p = spawner.spawn(slot, gen);
            WorkerProcess w = new WorkerProcess(slot, gen, p, Instant.now());
            workers.put(w.pid(), w);
            p.onExit().thenRun(() -> events.add(new MasterEvent.WorkerExited(w)));
            log.notice("start " + w);
            if (slot >= 0 && pending != null && gen == pending.generation) {
                pending.notReady.add(w.pid());
            }
        } catch (IOException e) {
            log.alert("could not start a worker process for slot " + slot + ": " + e.getMessage());
            if (slot >= 0 && pending != null && gen == pending.generation) {
                failReload("could not start a worker process: " + e.getMessage());
                return;
            }
            if (slot < 0) {
                return;
            }
            timers.schedule(() -> events.add(new MasterEvent.RespawnDue(slot, gen)), 1, TimeUnit.SECONDS);
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
        if (state != State.RUNNING || w.state() == WorkerProcess.State.QUITTING) {
            w.send(new ControlMessage.Quit(state != State.STOPPING));
            return;
        }
        readInBackground("pier-worker-" + w.pid(), ch, m -> events.add(new MasterEvent.FromWorker(w, m)), null);
        if (w.state() != WorkerProcess.State.SPARE) {
            assign(w);
        }
    }

    /** Hands a connected worker its slot's sockets and the configuration of its generation. */
    private void assign(WorkerProcess w) {
        PierConfig conf = pending != null && w.generation() == pending.generation ? pending.config : config;
        List<ListenSpec> specs = sockets.actualSpecs(conf.listenSpecs());
        w.assigned(specs);
        ControlMessage.Assign assign = new ControlMessage.Assign(w.generation(), w.slot(), conf.prefix().toString(),
                conf.file().toString(), globalDirectives, conf.source(), specs);
        try {
            w.sendOrThrow(assign, sockets.fdsForSlot(specs, w.slot()));
        } catch (IOException ex) {
            log.alert("cannot hand sockets to " + w + ": " + ex.getMessage());
            w.process().destroyForcibly();
        }
    }

    private void onWorkerMessage(WorkerProcess w, ControlMessage m) {
        if (!(m instanceof ControlMessage.Ready) || w.state() != WorkerProcess.State.STARTING) {
            return;
        }
        w.state(WorkerProcess.State.READY);
        log.notice(w + " ready");
        topUpSpares();
        if (pending != null && w.generation() == pending.generation) {
            pending.notReady.remove(w.pid());
            if (pending.notReady.isEmpty()) {
                commitReload();
            }
        } else if (w.generation() == generation) {
            steer();
        }
        if (oldMaster != null && !readySentToOldMaster && servedSlots().size() == config.main().workerProcesses()
                && workers.values().stream().filter(x -> x.generation() == generation && x.slot() >= 0)
                        .allMatch(x -> x.state() == WorkerProcess.State.READY)) {
            readySentToOldMaster = true;
            try {
                oldMaster.send(new ControlMessage.Ready(pid));
            } catch (IOException e) {
                log.alert("cannot tell the old master process that this one is ready: " + e.getMessage());
            }
            readInBackground("pier-old-master", oldMaster, ignored -> { }, new MasterEvent.OldMasterGone());
        }
    }

    private void onExit(WorkerProcess w) {
        workers.remove(w.pid());
        w.closeChannel();
        int code = w.process().exitValue();
        if (oldMaster == null) {
            // while an old master still holds the sockets, closing ours would not close them: keep the index model
            sockets.retire(config.listenSpecs(), config.main().workerProcesses(), heldSlots(), log);
        }
        if (state != State.RUNNING || w.state() == WorkerProcess.State.QUITTING) {
            log.notice(w + " exited with code " + code);
            return;
        }
        if (w.state() == WorkerProcess.State.SPARE) {
            log.alert(w + " exited unexpectedly with code " + code);
            if (Duration.between(w.started(), Instant.now()).compareTo(RespawnBackoff.QUICK_DEATH) >= 0) {
                topUpSpares();
            } else {
                timers.schedule(() -> events.add(new MasterEvent.RespawnDue(-1, generation)), 5, TimeUnit.SECONDS);
            }
            return;
        }
        if (pending != null && w.generation() == pending.generation) {
            log.alert(w + " exited with code " + code + " before it was ready");
            failReload(w + " exited with code " + code + " before it was ready; see the error log");
            return;
        }
        log.alert(w + " exited unexpectedly with code " + code + "; respawning its slot");
        if (w.generation() != generation || workersStopped || slotTaken(w.slot())) {
            return;
        }
        steer();
        Duration delay = backoff.onDeath(w.slot(), w.started(), Instant.now());
        if (delay.isZero()) {
            startWorker(w.slot(), generation);
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

    /** Slots of the current generation: where new connections may go. */
    private Set<Integer> allSlots() {
        Set<Integer> s = new HashSet<>();
        for (int k = 0; k < config.main().workerProcesses(); k++) {
            s.add(k);
        }
        return s;
    }

    /** Current slots with a ready worker; all current slots while none is ready (connections then wait queued). */
    private Set<Integer> servedSlots() {
        Set<Integer> ready = readySlots();
        return ready.isEmpty() ? allSlots() : ready;
    }

    /**
     * Reads {@code ch} on a daemon thread of its own (the master's loop never blocks on a peer), handing each message
     * to {@code onMessage} and enqueueing {@code onEnd} (if any) when the peer goes away.
     */
    private void readInBackground(String name, ControlChannel ch, Consumer<ControlMessage> onMessage,
                                  MasterEvent onEnd) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    onMessage.accept(ch.receive().message());
                }
            } catch (IOException eof) {
                if (onEnd != null) {
                    events.add(onEnd);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Slots of the current generation whose worker reported ready. */
    private Set<Integer> readySlots() {
        return workers.values().stream()
                .filter(w -> w.generation() == generation && w.state() == WorkerProcess.State.READY)
                .map(WorkerProcess::slot).collect(Collectors.toSet());
    }

    /** New connections go to served slots that are not stalled. */
    private void steer() {
        Set<Integer> live = new HashSet<>(servedSlots());
        live.removeAll(stalled);
        sockets.steer(live.isEmpty() ? servedSlots() : live, log);
    }

    /**
     * Samples the accept queues: a worker whose queue keeps growing gets no new connections until it has caught up
     * (the ones already queued wait for it: nothing is dropped). See {@link StallWatch}.
     */
    private void checkStalls() {
        if (state != State.RUNNING || pending != null || workersStopped || config.main().workerProcesses() < 2) {
            return;
        }
        // only workers that reported ready can stall; one still starting up is expected not to accept yet
        Set<Integer> ready = readySlots();
        Set<Integer> now = ready.size() < 2 ? Set.of() : stallWatch.sample(sockets.queuedBySlot(ready));
        if (now.equals(stalled)) {
            return;
        }
        for (int k : now) {
            if (!stalled.contains(k)) {
                log.warn("the worker of slot " + k + " is not accepting (its queue keeps growing); new connections "
                        + "go to the other slots until it catches up");
            }
        }
        for (int k : stalled) {
            if (!now.contains(k)) {
                log.notice("the worker of slot " + k + " is accepting again");
            }
        }
        stalled = now;
        steer();
    }

    /**
     * Once a second: a listening socket on one of our reuseport ports that is not ours joined the group. The BPF
     * program never selects it, so it gets no connections; the operator should still know.
     */
    private void checkIntruders() {
        if (oldMaster != null || upgrade != null) {
            return; // two masters hold the same sockets during an upgrade; each sees only its own descriptors
        }
        sockets.intruders().forEach((address, inodes) -> {
            for (long inode : inodes) {
                if (reportedIntruders.add(inode)) {
                    log.alert("a socket that is not Pier's (inode " + inode + ") joined the reuseport group of "
                            + address + "; it receives no connections (the group's BPF program selects Pier's own)");
                }
            }
        });
    }

    /** Slots some running worker may still be accepting on. */
    private Set<Integer> heldSlots() {
        return workers.values().stream().map(WorkerProcess::slot).collect(Collectors.toSet());
    }

    // ---- reload --------------------------------------------------------------------------------------------

    private void reload(ControlChannel client) {
        if (state != State.RUNNING) {
            if (client != null) {
                answer(client, false, "the master process is shutting down");
            }
            return;
        }
        if (workersStopped) {
            // nginx: HUP after WINCH starts the workers again without re-reading the configuration (upgrade roll-back)
            workersStopped = false;
            log.notice("starting worker processes again");
            sockets.steer(allSlots(), log);
            startWorkers();
            if (client != null) {
                answer(client, true, "");
            }
            return;
        }
        if (pending != null) {
            // the file may have changed since the pending reload read it: read it again once that one is done
            reloadAgain = true;
            if (client != null) {
                nextReloadWaiters.add(client);
            }
            return;
        }
        log.notice("reconfiguring");
        PierConfig next;
        try {
            next = ConfigReader.read(config.file(), config.prefix(), globalDirectives);
            checkUser(next, log);
        } catch (ConfigException e) {
            log.emerg(e.getMessage());
            if (client != null) {
                answer(client, false, "[emerg] " + e.getMessage());
            }
            return;
        }
        SocketTable.Change change;
        try {
            change = sockets.prepare(next.listenSpecs(), next.main().workerProcesses(), log);
        } catch (IOException e) {
            log.emerg(e.getMessage());
            if (client != null) {
                answer(client, false, "[emerg] " + e.getMessage());
            }
            return;
        }
        prepareWorkerFiles(next);
        pending = new PendingReload(generation + 1, next, change);
        if (client != null) {
            pending.waiters.add(client);
        }
        long gen = pending.generation;
        pending.deadline = timers.schedule(() -> events.add(new MasterEvent.ReloadDeadline(gen)),
                RELOAD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        for (int slot = 0; slot < next.main().workerProcesses() && pending != null; slot++) {
            startWorker(slot, gen);
        }
    }

    /** Every new worker is ready: switch generations, steer to the new slots, retire the old workers. */
    private void commitReload() {
        PendingReload p = pending;
        pending = null;
        p.deadline.cancel(false);
        long old = generation;
        generation = p.generation;
        boolean userChanged = !p.config.main().user().equals(config.main().user());
        config = p.config;
        backoff = new RespawnBackoff(config.main().workerProcesses());
        int slots = config.main().workerProcesses();
        stalled = Set.of();
        sockets.steer(allSlots(), log);
        Set<ListenSpec> current = new HashSet<>(sockets.actualSpecs(config.listenSpecs()));
        for (WorkerProcess w : new ArrayList<>(workers.values())) {
            if (w.generation() > old || w.state() == WorkerProcess.State.SPARE) {
                continue; // a spare has no generation of its own: it reads the configuration when it takes a slot
            }
            w.state(WorkerProcess.State.QUITTING);
            List<Integer> drain = new ArrayList<>();
            if (w.slot() >= slots) {
                for (int i = 0; i < w.assigned().size(); i++) {
                    ListenSpec s = w.assigned().get(i);
                    if (s.reuseport() && current.contains(s)) {
                        drain.add(i);
                    }
                }
            }
            w.send(drain.isEmpty() ? new ControlMessage.Quit(true)
                    : new ControlMessage.Retire(drain, RETIRE_QUIET.toMillis()));
        }
        if (userChanged) {
            // spares gave up root for the old user: replace them with spares of the new one
            for (WorkerProcess w : new ArrayList<>(workers.values())) {
                if (w.state() == WorkerProcess.State.SPARE) {
                    w.state(WorkerProcess.State.QUITTING);
                    w.send(new ControlMessage.Quit(true));
                }
            }
        }
        log.notice("reconfigured: generation " + generation + ", " + slots + " worker processes");
        topUpSpares();
        p.waiters.forEach(c -> answer(c, true, ""));
        reloadIfAskedAgain();
    }

    private void reloadIfAskedAgain() {
        if (!reloadAgain) {
            return;
        }
        reloadAgain = false;
        List<ControlChannel> waiters = new ArrayList<>(nextReloadWaiters);
        nextReloadWaiters.clear();
        reload(null);
        if (pending != null) {
            pending.waiters.addAll(waiters);
        } else {
            // nothing to wait for: the reload failed at once (logged) or changed nothing that needs workers
            waiters.forEach(c -> answer(c, false, "reload failed; see the error log"));
        }
    }

    private void failReload(String why) {
        PendingReload p = pending;
        pending = null;
        if (p.deadline != null) {
            p.deadline.cancel(false);
        }
        for (WorkerProcess w : new ArrayList<>(workers.values())) {
            if (w.generation() == p.generation) {
                w.state(WorkerProcess.State.QUITTING);
                w.process().destroyForcibly();
            }
        }
        sockets.rollback(p.change);
        log.alert("reload failed, the old configuration stays: " + why);
        p.waiters.forEach(c -> answer(c, false, "reload failed: " + why));
        reloadIfAskedAgain();
    }

    // ---- binary upgrade (this master is the old one) -------------------------------------------------------

    private void startUpgrade(boolean automatic, ControlChannel client) {
        if (state != State.RUNNING || upgrade != null || oldMaster != null) {
            String why = upgrade != null || oldMaster != null ? "an upgrade is already in progress"
                    : "the master process is shutting down";
            log.alert("binary upgrade refused: " + why);
            if (client != null) {
                answer(client, false, why);
            }
            return;
        }
        try {
            upgrade = Upgrade.start(automatic, client, config.main().pid(), control);
        } catch (IOException e) {
            log.alert("cannot start a new master process: " + e.getMessage());
            if (client != null) {
                answer(client, false, "cannot start a new master process: " + e.getMessage());
            }
            return;
        }
        Process p = upgrade.newMaster;
        log.notice("binary upgrade: started new master process " + p.pid());
        p.onExit().thenRun(() -> events.add(new MasterEvent.NewMasterExited(p)));
        timers.schedule(() -> events.add(new MasterEvent.UpgradeDeadline(p.pid())),
                Upgrade.READY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onNewMasterHello(ControlChannel ch, long peerPid) {
        if (upgrade == null || upgrade.newMaster.pid() != peerPid || upgrade.link != null) {
            log.alert("process " + peerPid + " asked for the listening sockets but is not this master's new master");
            closeQuietly(ch);
            return;
        }
        SocketTable.Inventory inv = sockets.inventory();
        try {
            ch.send(new ControlMessage.Handoff(inv.sockets()), inv.fds());
        } catch (IOException e) {
            log.alert("cannot hand the sockets to the new master process: " + e.getMessage());
            closeQuietly(ch);
            return;
        }
        upgrade.link = ch;
        // the new master's exit is reported by its process watcher, not by the end of this link
        readInBackground("pier-new-master", ch, m -> {
            if (m instanceof ControlMessage.Ready r) {
                events.add(new MasterEvent.NewMasterReady(r.pid()));
            }
        }, null);
    }

    private void onNewMasterReady() {
        if (upgrade == null || upgrade.ready) {
            return;
        }
        upgrade.ready = true;
        log.notice("new master process " + upgrade.newMaster.pid() + " is serving");
        if (upgrade.automatic) {
            if (upgrade.client != null) {
                answer(upgrade.client, true, "");
            }
            stopWorkers();
            quit();
        }
    }

    private void onNewMasterExited(Process p) {
        if (upgrade == null || upgrade.newMaster != p) {
            return;
        }
        Upgrade u = upgrade;
        upgrade = null;
        closeQuietly(u.link);
        Upgrade.restoreNames(config.main().pid(), control, controlPath);
        log.alert("new master process " + p.pid() + " exited with code " + p.exitValue()
                + "; this master process serves on");
        if (u.client != null && !u.ready) {
            answer(u.client, false, "the new master process exited with code " + p.exitValue()
                    + " before it was serving; see the error log");
        }
        if (workersStopped && state == State.RUNNING) {
            reload(null); // nginx restarts the workers when the new binary goes away after WINCH
        }
    }

    // ---- shutdown and logs ---------------------------------------------------------------------------------

    /** WINCH: gracefully stop the workers but keep the master and its sockets (nginx's upgrade sequence). */
    private void stopWorkers() {
        if (state != State.RUNNING || workersStopped) {
            return;
        }
        workersStopped = true;
        log.notice("gracefully stopping worker processes");
        for (WorkerProcess w : workers.values()) {
            w.state(WorkerProcess.State.QUITTING);
            w.send(new ControlMessage.Quit(true));
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
        prepareWorkerFiles(config); // rotation left new files (or none): hand them to the worker user first
        for (WorkerProcess w : workers.values()) {
            w.send(new ControlMessage.ReopenLogs());
        }
    }

    private void shutdownResources() {
        acceptor.close(); // removes the control socket file under its current name
        PidFile.removeIfOurs(config.main().pid(), pid);
        PidFile.removeIfOurs(config.main().pid().resolveSibling(config.main().pid().getFileName() + Upgrade.OLDBIN),
                pid);
        if (oldMaster != null) {
            oldMaster.close();
        }
        sockets.close();
        timers.shutdownNow();
    }

    private static void closeQuietly(ControlChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
