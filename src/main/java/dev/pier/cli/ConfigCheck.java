package dev.pier.cli;

import dev.pier.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code pier -t} and {@code -T}: parse and bind the whole configuration exactly as a (re)load would, but open no
 * socket (DESIGN.md rule 1: a test must never join a live SO_REUSEPORT group). Output follows nginx.
 */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    public static int run(Options o) {
        try {
            Configs.load(o);
        } catch (ConfigException e) {
            System.err.println("pier: [emerg] " + e.getMessage());
            System.err.println("pier: configuration file " + o.confFile() + " test failed");
            return 1;
        }
        if (!o.quiet()) {
            System.err.println("pier: the configuration file " + o.confFile() + " syntax is ok");
            System.err.println("pier: configuration file " + o.confFile() + " test is successful");
        }
        if (o.action() == Options.Action.TEST_DUMP) {
            try {
                System.out.println("# configuration file " + o.confFile() + ":");
                System.out.print(Files.readString(o.confFile()));
                System.out.println();
            } catch (IOException e) {
                System.err.println("pier: [emerg] cannot read " + o.confFile() + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }
}
