package dev.pier.master;

import dev.pier.config.bind.ListenSpec;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.os.Fds;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The worker pool: one worker per slot of the current generation, the warmed spares, and the next generation's
 * workers while a reload starts them. Spawns JVMs, hands each its slot's sockets when it says hello, and respawns a
 * slot whose worker died (with {@link RespawnBackoff}). What a death or a failed start means for a reload, and where
 * new connections go, are decided outside: this pool reports them through {@code reloadFailed} and {@code steer}.
 */
final class Workers {
    private final Cycle c;
    private final WorkerSpawner spawner;
    private final Consumer<String> reloadFailed;
    private final Runnable steer;
    private final Map<Long, WorkerProcess> workers = new HashMap<>();
    private RespawnBackoff backoff;

    Workers(Cycle c, WorkerSpawner spawner, Consumer<String> reloadFailed, Runnable steer) {
        this.c = c;
        this.spawner = spawner;
        this.reloadFailed = reloadFailed;
        this.steer = steer;
        this.backoff = new RespawnBackoff(c.config.main().workerProcesses());
    }

    boolean isEmpty() {
        return workers.isEmpty();
    }

    /** One worker for every slot of the current generation, then the spares. */
    void startAll() {
        for (int slot = 0; slot < c.config.main().workerProcesses(); slot++) {
            spawn(slot, c.generation);
        }
        topUpSpares();
    }

    /** Starts spares until {@code worker_spares} of them exist. */
    void topUpSpares() {
        if (!c.running()) {
            return;
        }
        long spares = workers.values().stream().filter(w -> w.state() == WorkerProcess.State.SPARE).count();
        for (long n = spares; n < c.config.main().workerSpares(); n++) {
            spawn(-1, c.generation);
        }
    }

    /**
     * Gives {@code slot} a worker: a connected, warmed spare if there is one (it serves within tens of
     * milliseconds), else a new JVM. A spare taken is replaced when it reports ready.
     */
    void startWorker(int slot, long gen) {
        PierConfig target = c.configFor(gen);
        // a spare already runs as the current configuration's user: it cannot serve one that names another
        WorkerProcess spare = !target.main().user().equals(c.config.main().user()) ? null : workers.values().stream()
                .filter(w -> w.state() == WorkerProcess.State.SPARE && w.connected()).findFirst().orElse(null);
        if (spare == null) {
            spawn(slot, gen);
            return;
        }
        spare.takeSlot(slot, gen);
        c.log.notice("spare " + spare.pid() + " takes over: " + spare);
        if (c.pendingFor(gen)) {
            c.pending.notReady.add(spare.pid());
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
            p.onExit().thenRun(() -> c.post(new MasterEvent.WorkerExited(w)));
            c.log.notice("start " + w);
            if (slot >= 0 && c.pendingFor(gen)) {
                c.pending.notReady.add(w.pid());
            }
        } catch (IOException e) {
            c.log.alert("could not start a worker process for slot " + slot + ": " + e.getMessage());
            if (slot >= 0 && c.pendingFor(gen)) {
                reloadFailed.accept("could not start a worker process: " + e.getMessage());
                return;
            }
            if (slot < 0) {
                return;
            }
            c.after(1000, new MasterEvent.RespawnDue(slot, gen));
        }
    }

    /** A process said hello on the control socket: if it is one of ours, it gets its slot (a spare waits). */
    void onHello(ControlChannel ch, long peerPid) {
        WorkerProcess w = workers.get(peerPid);
        if (w == null || w.connected()) {
            c.log.alert("control connection from process " + peerPid
                    + " that is not a worker of this master: refused");
            ControlLinks.closeQuietly(ch);
            return;
        }
        w.attach(ch);
        if (!c.running() || w.state() == WorkerProcess.State.QUITTING) {
            w.send(new ControlMessage.Quit(c.state != Cycle.State.STOPPING));
            return;
        }
        ControlLinks.readInBackground("pier-worker-" + w.pid(), ch,
                m -> c.post(new MasterEvent.FromWorker(w, m)), null);
        if (w.state() != WorkerProcess.State.SPARE) {
            assign(w);
        }
    }

    /** Hands a connected worker its slot's sockets and the configuration of its generation. */
    private void assign(WorkerProcess w) {
        PierConfig conf = c.configFor(w.generation());
        List<ListenSpec> specs = c.sockets.actualSpecs(conf.listenSpecs());
        w.assigned(specs);
        ControlMessage.Assign assign = new ControlMessage.Assign(w.generation(), w.slot(), conf.prefix().toString(),
                conf.file().toString(), c.globalDirectives, conf.source(), specs);
        try {
            w.sendOrThrow(assign, c.sockets.fdsForSlot(specs, w.slot()));
            OptionalInt drill = DrillSocket.open(c.log);
            if (drill.isPresent()) {
                try {
                    w.sendOrThrow(new ControlMessage.WarmUp(), drill.getAsInt());
                } finally {
                    Fds.closeQuietly(drill.getAsInt()); // the worker holds the only copy now
                }
            }
        } catch (IOException ex) {
            c.log.alert("cannot hand sockets to " + w + ": " + ex.getMessage());
            w.process().destroyForcibly();
        }
    }

    /** A starting worker reported ready (anything else from a worker is ignored); true if that changed its state. */
    boolean onReady(WorkerProcess w, ControlMessage m) {
        if (!(m instanceof ControlMessage.Ready) || w.state() != WorkerProcess.State.STARTING) {
            return false;
        }
        w.state(WorkerProcess.State.READY);
        c.log.notice(w + " ready");
        topUpSpares();
        return true;
    }

    /** A worker process ended: it no longer holds a slot, nor its end of the control connection. */
    void remove(WorkerProcess w) {
        workers.remove(w.pid());
        w.closeChannel();
    }

    /** After {@link #remove}: log the exit and, if it was not asked for, replace the worker. */
    void onExit(WorkerProcess w) {
        int code = w.process().exitValue();
        if (!c.running() || w.state() == WorkerProcess.State.QUITTING) {
            c.log.notice(w + " exited with code " + code);
            return;
        }
        if (w.state() == WorkerProcess.State.SPARE) {
            c.log.alert(w + " exited unexpectedly with code " + code);
            if (Duration.between(w.started(), Instant.now()).compareTo(RespawnBackoff.QUICK_DEATH) >= 0) {
                topUpSpares();
            } else {
                c.after(5000, new MasterEvent.RespawnDue(-1, c.generation));
            }
            return;
        }
        if (c.pendingFor(w.generation())) {
            c.log.alert(w + " exited with code " + code + " before it was ready");
            reloadFailed.accept(w + " exited with code " + code + " before it was ready; see the error log");
            return;
        }
        c.log.alert(w + " exited unexpectedly with code " + code + "; respawning its slot");
        if (w.generation() != c.generation || c.workersStopped || slotTaken(w.slot())) {
            return;
        }
        steer.run();
        Duration delay = backoff.onDeath(w.slot(), w.started(), Instant.now());
        if (delay.isZero()) {
            startWorker(w.slot(), c.generation);
        } else {
            c.log.alert("slot " + w.slot() + " keeps failing right after start; next try in "
                    + delay.toMillis() + "ms");
            c.after(delay.toMillis(), new MasterEvent.RespawnDue(w.slot(), c.generation));
        }
    }

    /** A respawn's back-off ended: the slot gets a worker if it still needs one (slot -1: the spares). */
    void onRespawnDue(int slot, long gen) {
        if (slot < 0) {
            topUpSpares();
        } else if (c.running() && !c.workersStopped && gen == c.generation && !slotTaken(slot)) {
            startWorker(slot, c.generation);
        }
    }

    private boolean slotTaken(int slot) {
        return workers.values().stream().anyMatch(w -> w.slot() == slot && w.generation() == c.generation
                && w.state() != WorkerProcess.State.QUITTING);
    }

    /** Every worker, spares and quitting ones included; a copy the caller may act on. */
    List<WorkerProcess> all() {
        return new ArrayList<>(workers.values());
    }

    /** A new generation serves: its slots start with a clean record of quick deaths. */
    void resetBackoff() {
        backoff = new RespawnBackoff(c.config.main().workerProcesses());
    }

    /** Tells every worker to quit: gracefully (QUIT, WINCH) or fast (TERM). */
    void quitAll(boolean graceful) {
        for (WorkerProcess w : workers.values()) {
            w.state(WorkerProcess.State.QUITTING);
            w.send(new ControlMessage.Quit(graceful));
        }
    }

    void sendAll(ControlMessage m) {
        for (WorkerProcess w : workers.values()) {
            w.send(m);
        }
    }

    /** A fast shutdown's grace is over. */
    void killAll() {
        workers.values().forEach(w -> w.process().destroyForcibly());
    }

    /** Closes the sockets no current slot needs and no running worker may still accept on. */
    void retireSockets() {
        c.sockets.retire(c.config.listenSpecs(), c.config.main().workerProcesses(), heldSlots(), c.log);
    }

    /** Slots some running worker may still be accepting on. */
    private Set<Integer> heldSlots() {
        return workers.values().stream().map(WorkerProcess::slot).collect(Collectors.toSet());
    }

    /** Slots of the current generation: where new connections may go. */
    Set<Integer> allSlots() {
        return IntStream.range(0, c.config.main().workerProcesses()).boxed().collect(Collectors.toSet());
    }

    /** Current slots with a ready worker; all current slots while none is ready (connections then wait queued). */
    Set<Integer> servedSlots() {
        Set<Integer> ready = readySlots();
        return ready.isEmpty() ? allSlots() : ready;
    }

    /** Slots of the current generation whose worker reported ready. */
    Set<Integer> readySlots() {
        Set<Integer> out = new HashSet<>();
        for (WorkerProcess w : workers.values()) { // asked ten times a second (Steering): no stream
            if (w.generation() == c.generation && w.state() == WorkerProcess.State.READY) {
                out.add(w.slot());
            }
        }
        return out;
    }

    /** Every slot of the current generation has a worker that reported ready (asked once one has). */
    boolean allServing() {
        return servedSlots().size() == c.config.main().workerProcesses()
                && workers.values().stream().filter(x -> x.generation() == c.generation && x.slot() >= 0)
                        .allMatch(x -> x.state() == WorkerProcess.State.READY);
    }
}
