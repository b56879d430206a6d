package dev.pier.master;

import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.ipc.ControlServer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Both ends of a binary upgrade (DESIGN.md rule 7). As the old master: start the new one ({@link Upgrade}), hand it
 * every listening socket when it says hello, and learn when it serves or dies. As the new master: tell the old one
 * when every slot is served, then notice when it is gone and its copies of the sockets with it. What the master does
 * then (quit, start its workers again) is the loop's decision: the methods here say when.
 */
final class Upgrades {
    private final Cycle c;
    private final Workers workers;
    private final ControlServer control;
    private final Path controlPath;
    /** A binary upgrade this master started (it is the old master), or null. */
    private Upgrade upgrade;
    /** In a new master: the link to the old master that handed over the sockets, until it is gone. */
    private ControlChannel oldMaster;
    private boolean readySentToOldMaster;

    /** {@code oldMaster}: the link to the master this one took the sockets from, or null. */
    Upgrades(Cycle c, Workers workers, ControlServer control, Path controlPath, ControlChannel oldMaster) {
        this.c = c;
        this.workers = workers;
        this.control = control;
        this.controlPath = controlPath;
        this.oldMaster = oldMaster;
    }

    /** Two masters hold the same sockets: this one's upgrade is under way, or its old master is still there. */
    boolean twoMasters() {
        return oldMaster != null || upgrade != null;
    }

    /** While an old master still holds the sockets, closing ours would not close them. */
    boolean oldMasterHoldsSockets() {
        return oldMaster != null;
    }

    // ---- this master is the old one ------------------------------------------------------------------------

    /** USR2 ({@code automatic} false) or {@code pier -s upgrade} (true, {@code client} is answered). */
    void start(boolean automatic, ControlChannel client) {
        if (!c.running() || twoMasters()) {
            String why = twoMasters() ? "an upgrade is already in progress" : "the master process is shutting down";
            c.log.alert("binary upgrade refused: " + why);
            ControlLinks.answer(client, false, why);
            return;
        }
        try {
            upgrade = Upgrade.start(automatic, client, c.config.main().pid(), control);
        } catch (IOException e) {
            c.log.alert("cannot start a new master process: " + e.getMessage());
            ControlLinks.answer(client, false, "cannot start a new master process: " + e.getMessage());
            return;
        }
        Process p = upgrade.newMaster;
        c.log.notice("binary upgrade: started new master process " + p.pid());
        p.onExit().thenRun(() -> c.post(new MasterEvent.NewMasterExited(p)));
        c.after(Upgrade.READY_LIMIT.toMillis(), new MasterEvent.UpgradeDeadline(p.pid()));
    }

    /** A master connected for the sockets: only the one this master started gets them. */
    void onNewMasterHello(ControlChannel ch, long peerPid) {
        if (upgrade == null || upgrade.newMaster.pid() != peerPid || upgrade.link != null) {
            c.log.alert("process " + peerPid + " asked for the listening sockets but is not this master's new master");
            ControlLinks.closeQuietly(ch);
            return;
        }
        SocketTable.Inventory inv = c.sockets.inventory();
        try {
            ch.send(new ControlMessage.Handoff(inv.sockets()), inv.fds());
        } catch (IOException e) {
            c.log.alert("cannot hand the sockets to the new master process: " + e.getMessage());
            ControlLinks.closeQuietly(ch);
            return;
        }
        upgrade.link = ch;
        // the new master's exit is reported by its process watcher, not by the end of this link
        ControlLinks.readInBackground("pier-new-master", ch, m -> {
            if (m instanceof ControlMessage.Ready r) {
                c.post(new MasterEvent.NewMasterReady(r.pid()));
            }
        }, null);
    }

    /** The new master serves. True when this master should now stop its workers and quit ({@code pier -s upgrade}). */
    boolean onNewMasterReady() {
        if (upgrade == null || upgrade.ready) {
            return false;
        }
        upgrade.ready = true;
        c.log.notice("new master process " + upgrade.newMaster.pid() + " is serving");
        if (!upgrade.automatic) {
            return false; // USR2: the operator finishes with WINCH and QUIT, or rolls back
        }
        ControlLinks.answer(upgrade.client, true, "");
        return true;
    }

    /** The new master exited: take the names back and serve on. True if it was this master's new master. */
    boolean onNewMasterExited(Process p) {
        if (upgrade == null || upgrade.newMaster != p) {
            return false;
        }
        Upgrade u = upgrade;
        upgrade = null;
        ControlLinks.closeQuietly(u.link);
        Upgrade.restoreNames(c.config.main().pid(), control, controlPath);
        c.log.alert("new master process " + p.pid() + " exited with code " + p.exitValue()
                + "; this master process serves on");
        if (!u.ready) {
            ControlLinks.answer(u.client, false, "the new master process exited with code " + p.exitValue()
                    + " before it was serving; see the error log");
        }
        return true;
    }

    /** The new master {@code pid} had its time: if it is still not serving, it is stopped (its exit rolls back). */
    void onDeadline(long pid) {
        if (upgrade != null && !upgrade.ready && upgrade.newMaster.pid() == pid) {
            c.log.alert("new master process " + pid + " did not start serving within "
                    + Upgrade.READY_LIMIT.toSeconds() + "s; stopping it");
            upgrade.newMaster.destroyForcibly(); // its exit restores this master's names
        }
    }

    // ---- this master is the new one -----------------------------------------------------------------------

    /** Once every slot is served, tells the old master (which then may quit) and watches for it to go. */
    void reportReadyIfServing() {
        if (oldMaster == null || readySentToOldMaster || !workers.allServing()) {
            return;
        }
        readySentToOldMaster = true;
        try {
            oldMaster.send(new ControlMessage.Ready(c.pid));
        } catch (IOException e) {
            c.log.alert("cannot tell the old master process that this one is ready: " + e.getMessage());
        }
        ControlLinks.readInBackground("pier-old-master", oldMaster, ignored -> { },
                () -> c.post(new MasterEvent.OldMasterGone()));
    }

    /** The old master exited and dropped its copies: sockets no slot needs can close now. */
    void onOldMasterGone() {
        c.log.notice("the old master process has exited");
        oldMaster = null;
        workers.retireSockets();
    }

    /** On exit: let go of the old master's link if it is still there. */
    void close() {
        if (oldMaster != null) {
            oldMaster.close();
        }
    }
}
