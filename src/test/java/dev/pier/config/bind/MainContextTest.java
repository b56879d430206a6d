package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static dev.pier.config.bind.TestConf.bind;
import static dev.pier.config.bind.TestConf.fails;
import static org.assertj.core.api.Assertions.assertThat;

class MainContextTest {

    @Test
    void defaults() throws ConfigException {
        PierConfig c = bind("");
        MainConf m = c.main();
        assertThat(m.workerProcesses()).isEqualTo(1);
        assertThat(m.daemon()).as("Pier runs in the foreground unless told").isFalse();
        assertThat(m.masterProcess()).isTrue();
        assertThat(m.pid()).isEqualTo(Path.of("/opt/pier/logs/pier.pid"));
        assertThat(m.errorLog()).isEqualTo(new ErrorLogConf(Optional.of(Path.of("/opt/pier/logs/error.log")),
                LogLevel.ERROR));
        assertThat(m.workerShutdownTimeout()).isEmpty();
        assertThat(c.events().workerConnections()).isEqualTo(512);
        assertThat(c.http()).isEqualTo(HttpConf.EMPTY);
        assertThat(c.prefix()).isEqualTo(TestConf.PREFIX);
        assertThat(c.file()).isEqualTo(TestConf.FILE);
    }

    @Test
    void everyMainDirective() throws ConfigException {
        MainConf m = bind("""
                worker_processes 3;
                pid /run/pier.pid;
                error_log stderr warn;
                daemon ON;
                master_process off;
                worker_shutdown_timeout "1m 30s";
                events { worker_connections 2048; }
                """).main();
        assertThat(m.workerProcesses()).isEqualTo(3);
        assertThat(m.pid()).isEqualTo(Path.of("/run/pier.pid"));
        assertThat(m.errorLog()).isEqualTo(ErrorLogConf.stderr(LogLevel.WARN));
        assertThat(m.daemon()).as("flags are case-insensitive as in nginx").isTrue();
        assertThat(m.masterProcess()).isFalse();
        assertThat(m.workerShutdownTimeout()).contains(Duration.ofSeconds(90));
    }

    @Test
    void workerProcessesAutoIsTheCpuCount() throws ConfigException {
        assertThat(bind("worker_processes auto;").main().workerProcesses()).isEqualTo(4);
    }

    @Test
    void relativePathsResolveAgainstThePrefix() throws ConfigException {
        MainConf m = bind("pid run/p.pid; error_log logs/e.log;").main();
        assertThat(m.pid()).isEqualTo(Path.of("/opt/pier/run/p.pid"));
        assertThat(m.errorLog().file()).contains(Path.of("/opt/pier/logs/e.log"));
        assertThat(m.errorLog().level()).isEqualTo(LogLevel.ERROR);
    }

    @Test
    void everyMainErrorLogLineIsKeptInOrder() throws ConfigException {
        MainConf m = bind("error_log stderr info;\nerror_log /x.log;\nerror_log /y.log crit;").main();
        assertThat(m.errorLog()).isEqualTo(ErrorLogConf.stderr(LogLevel.INFO));
        assertThat(m.errorLogs()).containsExactly(ErrorLogConf.stderr(LogLevel.INFO),
                new ErrorLogConf(Optional.of(Path.of("/x.log")), LogLevel.ERROR),
                new ErrorLogConf(Optional.of(Path.of("/y.log")), LogLevel.CRIT));
        assertThat(bind("").main().errorLogs()).singleElement().isEqualTo(bind("").main().errorLog());
    }

    @Test
    void badValues() {
        fails("worker_processes x;", "\"worker_processes\" directive invalid value", 1);
        fails("worker_processes 0;", "\"worker_processes\" directive invalid value", 1);
        fails("\nworker_processes -1;", "\"worker_processes\" directive invalid value", 2);
        fails("daemon yes;", "invalid value \"yes\" in \"daemon\" directive, it must be \"on\" or \"off\"", 1);
        fails("master_process 1;",
                "invalid value \"1\" in \"master_process\" directive, it must be \"on\" or \"off\"", 1);
        fails("worker_shutdown_timeout 10x;", "\"worker_shutdown_timeout\" directive invalid value", 1);
        fails("events { worker_connections many; }", "invalid number \"many\"", 1);
        fails("events {\n worker_connections 0;\n}", "invalid number \"0\"", 2);
        fails("error_log stderr loud;", "invalid log level \"loud\"", 1);
        fails("error_log stderr warn info;", "duplicate log level \"info\"", 1);
    }

    @Test
    void duplicates() {
        fails("worker_processes 1;\nworker_processes 2;", "\"worker_processes\" directive is duplicate", 2);
        fails("pid a;\npid b;", "\"pid\" directive is duplicate", 2);
        fails("daemon on;\n\ndaemon on;", "\"daemon\" directive is duplicate", 3);
        fails("master_process on; master_process on;", "\"master_process\" directive is duplicate", 1);
        fails("worker_shutdown_timeout 1s;\nworker_shutdown_timeout 1s;",
                "\"worker_shutdown_timeout\" directive is duplicate", 2);
        fails("events {}\nevents {}", "\"events\" directive is duplicate", 2);
        fails("http {}\nhttp {}", "\"http\" directive is duplicate", 2);
        fails("events {\nworker_connections 1;\nworker_connections 2;\n}",
                "\"worker_connections\" directive is duplicate", 3);
    }
}
