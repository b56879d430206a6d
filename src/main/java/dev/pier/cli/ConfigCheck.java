package dev.pier.cli;

import dev.pier.config.ConfigException;
import dev.pier.config.bind.PierConfig;
import dev.pier.master.WorkerUser;
import dev.pier.os.Posix;

import java.io.IOException;
import dev.pier.config.ConfigParser;
import dev.pier.config.Directive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code pier -t} and {@code -T}: parse and bind the whole configuration exactly as a (re)load would, but open no
 * socket (DESIGN.md rule 1: a test must never join a live SO_REUSEPORT group). Output follows nginx.
 */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    /** The main file and every included file that contributed a directive, in the order nginx's -T prints them. */
    static List<Path> filesRead(Options o) throws ConfigException {
        Set<Path> files = new LinkedHashSet<>();
        files.add(o.confFile());
        collect(ConfigParser.parseFile(o.confFile(), null), files);
        return List.copyOf(files);
    }

    private static void collect(List<Directive> directives, Set<Path> files) {
        for (Directive d : directives) {
            files.add(d.source().file());
            collect(d.children(), files);
        }
    }

    public static int run(Options o) {
        try {
            PierConfig config = Configs.load(o);
            // nginx checks the user at parse time, so -t reports an unknown one or the "ignored" warning as well
            boolean root = Posix.geteuid() == 0;
            WorkerUser.ignoredWarning(config.main(), root).ifPresent(w -> System.err.println("pier: [warn] " + w));
            WorkerUser.resolve(config.main(), root);
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
                for (Path file : filesRead(o)) {
                    System.out.println("# configuration file " + file + ":");
                    System.out.print(Files.readString(file));
                    System.out.println();
                }
            } catch (ConfigException | IOException e) {
                System.err.println("pier: [emerg] " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }
}
