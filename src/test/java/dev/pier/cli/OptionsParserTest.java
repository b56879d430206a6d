package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsParserTest {
    private static final Path HOME = Path.of("/opt/pier");
    private static final Path CWD = Path.of("/home/op");

    private static Options parse(String... args) throws OptionsParser.UsageException {
        return OptionsParser.parse(List.of(args), HOME, CWD);
    }

    @Test
    void defaultsAreThePrefixAndItsConfFile() throws Exception {
        Options o = parse();
        assertThat(o.action()).isEqualTo(Options.Action.SERVE);
        assertThat(o.prefix()).isEqualTo(HOME);
        assertThat(o.confFile()).isEqualTo(Path.of("/opt/pier/conf/pier.conf"));
    }

    @Test
    void relativePrefixResolvesAgainstTheWorkingDirectoryAndConfAgainstThePrefix() throws Exception {
        Options o = parse("-p", "site", "-c", "conf/other.conf");
        assertThat(o.prefix()).isEqualTo(Path.of("/home/op/site"));
        assertThat(o.confFile()).isEqualTo(Path.of("/home/op/site/conf/other.conf"));
        assertThat(parse("-c", "/etc/pier.conf").confFile()).isEqualTo(Path.of("/etc/pier.conf"));
    }

    @Test
    void flagsGroupAndValuesAttachAsInNginx() throws Exception {
        Options o = parse("-tq", "-c/etc/p.conf", "-g", "daemon off;");
        assertThat(o.action()).isEqualTo(Options.Action.TEST);
        assertThat(o.quiet()).isTrue();
        assertThat(o.confFile()).isEqualTo(Path.of("/etc/p.conf"));
        assertThat(o.globalDirectives()).contains("daemon off;");
        assertThat(parse("-T").action()).isEqualTo(Options.Action.TEST_DUMP);
        assertThat(parse("-h").action()).isEqualTo(Options.Action.HELP);
        assertThat(parse("-?").action()).isEqualTo(Options.Action.HELP);
        assertThat(parse("-v").action()).isEqualTo(Options.Action.VERSION);
        assertThat(parse("-V").action()).isEqualTo(Options.Action.VERSION_FULL);
    }

    @Test
    void signalsAreNginxsPlusUpgrade() throws Exception {
        for (String s : List.of("stop", "quit", "reopen", "reload", "upgrade")) {
            Options o = parse("-s", s);
            assertThat(o.action()).isEqualTo(Options.Action.SIGNAL);
            assertThat(o.signal()).contains(s);
        }
        assertThatThrownBy(() -> parse("-s", "restart")).hasMessage("invalid option: \"-s restart\"");
    }

    @Test
    void errorsUseNginxsWording() {
        assertThatThrownBy(() -> parse("-x")).hasMessage("invalid option: \"x\"");
        assertThatThrownBy(() -> parse("-c")).hasMessage("option \"-c\" requires file name");
        assertThatThrownBy(() -> parse("-p")).hasMessage("option \"-p\" requires directory name");
        assertThatThrownBy(() -> parse("-g")).hasMessage("option \"-g\" requires parameter");
        assertThatThrownBy(() -> parse("stray")).hasMessage("invalid option: \"stray\"");
    }

    @Test
    void theHiddenWorkerRoleKeepsTheMastersPathOptions() throws Exception {
        Options o = parse("-p", "/srv", "--worker", "/srv/logs/pier.sock", "-1", "3");
        assertThat(o.action()).isEqualTo(Options.Action.WORKER);
        assertThat(o.worker()).get().satisfies(w -> {
            assertThat(w.controlSocket()).isEqualTo(Path.of("/srv/logs/pier.sock"));
            assertThat(w.slot()).isEqualTo(-1);
            assertThat(w.generation()).isEqualTo(3);
        });
        assertThat(o.confFile()).isEqualTo(Path.of("/srv/conf/pier.conf"));
    }
}
