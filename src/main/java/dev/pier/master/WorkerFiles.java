package dev.pier.master;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.AccessLogConf;
import dev.pier.config.bind.AccessLogTarget;
import dev.pier.config.bind.BodyTempConf;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LevelErrorLogs;
import dev.pier.config.bind.LimitZone;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.ModuleConfs;
import dev.pier.config.bind.PierConfig;
import dev.pier.config.bind.ServerConf;
import dev.pier.log.ErrorLog;
import dev.pier.os.FileOwners;
import dev.pier.os.Posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The files a worker writes after it gave up root: its error log and every access log. A root master creates them
 * and hands them to the worker user before workers start and again on USR1 before they reopen (log rotation
 * leaves a new, root-created file or none), as nginx's master does in {@code ngx_reopen_files}.
 */
final class WorkerFiles {
    private WorkerFiles() {
    }

    /** Every log path {@code config}'s workers write: the error logs and access logs of every level. */
    static Set<Path> of(PierConfig config) {
        Set<Path> out = new LinkedHashSet<>();
        config.main().errorLogs().forEach(l -> l.file().ifPresent(out::add));
        if (!config.http().listeners().isEmpty()) {
            addLogs(config.http().modules(), out);
            for (ServerConf s : config.http().servers()) {
                addLocation(s.root(), out);
            }
        }
        return out;
    }

    private static void addLocation(LocationConf l, Set<Path> out) {
        addLogs(l.modules(), out);
        try {
            // access_log inside an if block: the block's implicit location
            for (LocationConf block : l.modules().get(dev.pier.config.bind.RewriteConf.class).ifLocations()) {
                addLogs(block.modules(), out);
            }
        } catch (IllegalArgumentException e) {
            // a level built without the rewrite module (fixtures)
        }
        for (LocationConf n : l.nested()) {
            addLocation(n, out);
        }
    }

    private static void addLogs(ModuleConfs modules, Set<Path> out) {
        try {
            for (ErrorLogConf e : modules.get(LevelErrorLogs.class).logs()) {
                e.file().ifPresent(out::add);
            }
        } catch (IllegalArgumentException e) {
            // a level built without the error log module (fixtures)
        }
        try {
            for (AccessLogTarget t : modules.get(AccessLogConf.class).logs()) {
                if (t.template().isEmpty()) { // paths with variables are created by the worker, as in nginx
                    out.add(t.path());
                }
            }
        } catch (IllegalArgumentException e) {
            // a level built without the access log module (fixtures): nothing to prepare
        }
    }

    /** Every temp directory of {@code config}: {@code client_body_temp_path} and {@code proxy_temp_path} of each level. */
    static Set<Path> tempDirs(PierConfig config) {
        Set<Path> out = new LinkedHashSet<>();
        if (!config.http().listeners().isEmpty()) {
            addTemp(config.http().modules(), out);
            for (ServerConf s : config.http().servers()) {
                addTempLocation(s.root(), out);
            }
        }
        return out;
    }

    private static void addTempLocation(LocationConf l, Set<Path> out) {
        addTemp(l.modules(), out);
        for (LocationConf n : l.nested()) {
            addTempLocation(n, out);
        }
    }

    private static void addTemp(ModuleConfs modules, Set<Path> out) {
        try {
            BodyTempConf t = modules.get(BodyTempConf.class);
            out.add(t.clientBodyTempPath());
            out.add(t.proxyTempPath());
        } catch (IllegalArgumentException e) {
            // a level built without the module (fixtures)
        }
    }

    /**
     * Creates the temp directories (mode 0700) as nginx's {@code ngx_create_paths} does, owned by the worker user
     * when the master is root; a failure is logged and the worker's open() will say more.
     */
    static void prepareTempDirs(PierConfig config, Optional<WorkerUser> user, ErrorLog log) {
        for (Path dir : tempDirs(config)) {
            try {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
                if (user.isPresent() && !user.get().isRoot()) {
                    Files.setAttribute(dir, "unix:uid", user.get().uid());
                }
            } catch (IOException | UnsupportedOperationException e) {
                log.alert("cannot create \"" + dir + "\" for the worker user: " + e.getMessage());
            }
        }
    }

    /** Before workers of {@code config} start or reopen their logs: the files they write belong to their user. */
    static void prepare(PierConfig config, ErrorLog log) {
        try {
            prepare(config, WorkerUser.resolve(config.main(), Posix.geteuid() == 0), log);
        } catch (ConfigException e) {
            log.alert(e.getMessage()); // the user vanished since the configuration was read; workers will fail too
        }
    }

    /** Makes every file of {@code config} writable by {@code user}; a failure is logged, the worker will say more. */
    static void prepare(PierConfig config, Optional<WorkerUser> user, ErrorLog log) {
        prepareTempDirs(config, user, log);
        if (user.isEmpty() || user.get().isRoot()) {
            return; // workers keep the master's identity and can open what it can
        }
        for (Path p : of(config)) {
            try {
                FileOwners.prepareFor(p, user.get().uid());
            } catch (IOException e) {
                log.alert("cannot prepare \"" + p + "\" for the worker user " + user.get() + ": " + e.getMessage());
            }
        }
    }

    /**
     * The shared {@code limit_conn}/{@code limit_req} zone files of this master's workers, deleted when the master
     * exits (nginx's shared memory goes with its master). A failure leaves a file for the next Pier to sweep.
     */
    static void removeZoneFiles(long masterPid) {
        try (var files = Files.newDirectoryStream(LimitZone.fileDirectory(), LimitZone.FILE_GLOB)) {
            for (Path f : files) {
                if (LimitZone.ownerOf(f.getFileName().toString()) == masterPid) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // unreadable directory or a file not ours to delete: the next worker's sweep retries
        }
    }
}
