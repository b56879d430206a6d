package dev.pier.cli;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.ErrorLogConf;
import dev.pier.config.bind.LogLevel;
import dev.pier.config.bind.PierConfig;
import dev.pier.log.ErrorLog;
import dev.pier.master.Master;
import dev.pier.os.OsException;
import dev.pier.single.SingleProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Starting Pier: read and bind the configuration, open the error log, then run a master with workers or, with
 * {@code master_process off}, a single process. Anything wrong before serving starts is one {@code [emerg]} line
 * on stderr (and in the error log once it is open) and exit code 1, with nothing left running.
 */
public final class Serve {
    private Serve() {
    }

    public static int run(Options o) {
        PierConfig config;
        try {
            config = Configs.load(o);
        } catch (ConfigException e) {
            System.err.println("pier: [emerg] " + e.getMessage());
            return 1;
        }
        ErrorLog log;
        try {
            log = o.errorLog().isEmpty() ? ErrorLog.open(config.main().errorLogs(), false)
                    : ErrorLog.open(errorLogConf(config, o), false);
        } catch (IOException e) {
            System.err.println("pier: [emerg] cannot open the error log: " + e.getMessage());
            return 1;
        }
        if (config.main().daemon() && System.getenv(Daemon.CHILD_MARK) == null) {
            return Daemon.detach(config);
        }
        try {
            if (config.main().masterProcess()) {
                return Master.run(config, o.globalDirectives().map(List::of).orElse(List.of()), log);
            }
            return SingleProcess.run(config, log);
        } catch (OsException e) {
            System.err.println("pier: [emerg] " + e.getMessage());
            log.emerg(e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("pier: [emerg] " + e.getMessage());
            log.emerg(e.getMessage());
            return 1;
        } catch (ConfigException e) {
            System.err.println("pier: [emerg] " + e.getMessage());
            log.emerg(e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** {@code -e FILE|stderr} replaces the configured error log, as nginx's {@code -e} does. */
    private static ErrorLogConf errorLogConf(PierConfig config, Options o) {
        ErrorLogConf conf = config.main().errorLog();
        if (o.errorLog().isEmpty()) {
            return conf;
        }
        String e = o.errorLog().get();
        LogLevel level = conf.level();
        return e.equals("stderr") ? ErrorLogConf.stderr(level)
                : new ErrorLogConf(Optional.of(o.prefix().resolve(Path.of(e)).normalize()), level);
    }
}
