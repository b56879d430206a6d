package dev.pier.cli;

import dev.pier.PierVersion;

/** The text of {@code pier -h}, {@code -v} and {@code -V}. */
public final class Usage {
    private Usage() {
    }

    public static String help() {
        return """
                Usage: pier [-?hvVtTq] [-s signal] [-p prefix] [-e filename] [-c filename] [-g directives]

                Options:
                  -?,-h         : this help
                  -v            : show version and exit
                  -V            : show version and build information, then exit
                  -t            : test configuration and exit
                  -T            : test configuration, dump it and exit
                  -q            : suppress non-error messages during configuration testing
                  -s signal     : send signal to a master process: stop, quit, reopen, reload, upgrade
                  -p prefix     : set prefix path (default: the directory above bin/)
                  -e filename   : set error log file (default: logs/error.log; "stderr" for the terminal)
                  -c filename   : set configuration file (default: conf/pier.conf)
                  -g directives : set global directives out of configuration file

                Signals to the master process (same meanings as nginx):
                  TERM, INT fast shutdown      QUIT  graceful shutdown
                  HUP       reload             USR1  reopen log files
                  USR2      binary upgrade     WINCH gracefully stop the workers
                """;
    }

    public static String version() {
        return "pier version: pier/" + PierVersion.VERSION;
    }

    public static String versionFull() {
        return version() + "\n"
                + "built with Java " + Runtime.version().feature() + ", Netty " + PierVersion.NETTY + "\n"
                + "running on " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + "\n";
    }
}
