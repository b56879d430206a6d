package dev.pier;

import dev.pier.cli.ConfigCheck;
import dev.pier.cli.Options;
import dev.pier.cli.OptionsParser;
import dev.pier.cli.Serve;
import dev.pier.cli.SignalClient;
import dev.pier.cli.Usage;
import dev.pier.worker.WorkerMain;

import java.nio.file.Path;
import java.util.List;

/**
 * Pier's entry point: parses the command line and picks the role — master (or single process), worker, or a client
 * that tests a configuration or talks to a running master.
 */
public final class Pier {
    private Pier() {
    }

    public static void main(String[] args) {
        int code = run(List.of(args));
        System.out.flush();
        System.err.flush();
        // a worker's or master's non-daemon threads are already stopped; exit() ends whatever is left promptly
        System.exit(code);
    }

    static int run(List<String> args) {
        Path home = Path.of(System.getProperty("pier.home", System.getProperty("user.dir")));
        Options o;
        try {
            o = OptionsParser.parse(args, home, Path.of(System.getProperty("user.dir")));
        } catch (OptionsParser.UsageException e) {
            System.err.println("pier: " + e.getMessage());
            System.err.print(Usage.help());
            return 1;
        }
        return switch (o.action()) {
            case HELP -> {
                System.err.println(Usage.version());
                System.err.print(Usage.help());
                yield 0;
            }
            case VERSION -> {
                System.err.println(Usage.version());
                yield 0;
            }
            case VERSION_FULL -> {
                System.err.print(Usage.versionFull());
                yield 0;
            }
            case TEST, TEST_DUMP -> ConfigCheck.run(o);
            case SIGNAL -> SignalClient.run(o);
            case WORKER -> WorkerMain.run(o);
            case SERVE -> Serve.run(o);
        };
    }
}
