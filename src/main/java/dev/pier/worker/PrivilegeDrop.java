package dev.pier.worker;

import dev.pier.log.ErrorLog;
import dev.pier.master.WorkerUser;
import dev.pier.os.Privileges;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A worker started by a root master becomes its {@code user} for good before it serves (nginx's
 * {@code ngx_worker_process_init}: setgid, initgroups, setuid), then proves it: every thread of the JVM runs as the
 * user, and {@code setuid(0)} fails. Any doubt ends the worker rather than serving as root.
 */
final class PrivilegeDrop {
    private PrivilegeDrop() {
    }

    /** Does nothing when {@code user} is empty (the master is not root: the worker already runs as its user). */
    static void apply(Optional<WorkerUser> user, ErrorLog log) throws IOException {
        if (user.isEmpty()) {
            return;
        }
        WorkerUser u = user.get();
        Privileges.dropTo(u.name(), u.uid(), u.gid());
        List<String> wrong = Privileges.threadsNotRunningAs(u.uid(), u.gid());
        if (!wrong.isEmpty()) {
            throw new IOException("threads not running as " + u + " after setuid(): " + wrong);
        }
        if (!u.isRoot() && Privileges.canRegainRoot()) {
            throw new IOException("setuid(0) succeeded after the worker became " + u);
        }
        log.info("worker process runs as " + u);
    }
}
