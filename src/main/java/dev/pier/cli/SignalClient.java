package dev.pier.cli;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.PierConfig;
import dev.pier.ipc.ControlChannel;
import dev.pier.ipc.ControlMessage;
import dev.pier.master.Master;
import dev.pier.master.PidFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@code pier -s stop|quit|reopen|reload|upgrade}: reads the configuration for the pid file (as nginx does), then asks
 * the master over its control socket and prints its answer. The exit code says whether the master did it.
 */
public final class SignalClient {
    private SignalClient() {
    }

    public static int run(Options o) {
        String name = o.signal().orElseThrow();
        PierConfig config;
        try {
            config = Configs.load(o);
        } catch (ConfigException e) {
            System.err.println("pier: [emerg] " + e.getMessage());
            return 1;
        }
        Path pidFile = config.main().pid();
        OptionalLong pid;
        try {
            pid = PidFile.read(pidFile);
        } catch (IOException e) {
            System.err.println("pier: [error] " + e.getMessage());
            return 1;
        }
        if (pid.isEmpty()) {
            System.err.println("pier: [error] open() \"" + pidFile + "\" failed (2: No such file or directory)");
            return 1;
        }
        Path socket = Master.controlSocketPath(config);
        try (ControlChannel ch = ControlChannel.connect(socket)) {
            ch.send(new ControlMessage.Command(name));
            if (ch.receive().message() instanceof ControlMessage.CommandResult r) {
                if (!r.message().isEmpty()) {
                    System.err.println("pier: " + (r.ok() ? "" : "[error] ") + r.message());
                }
                return r.ok() ? 0 : 1;
            }
            System.err.println("pier: [error] unexpected answer from the master process " + pid.getAsLong());
            return 1;
        } catch (IOException e) {
            System.err.println("pier: [error] cannot reach the master process " + pid.getAsLong() + " at " + socket
                    + ": " + e.getMessage());
            return 1;
        }
    }
}
