package dev.pier.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/BENCHMARKS.md quotes measured numbers; these tests hold it to the data kept in git: every table of the
 * suite's shapes in the page is a table of a result file under {@code bench/results/}, copied whole, and the pooled
 * verdict is what {@code bench/pool.py} prints for the runs kept under {@code bench/results/pooled/}.
 */
class BenchmarksDocTest {
    private static final Path HOME = Path.of(System.getProperty("pier.home", ".")).toAbsolutePath().normalize();
    private static final Path DOC = HOME.resolve("docs/BENCHMARKS.md");
    /** The header starts of the tables the suite writes (bench/summarize.py, bench/ops.sh). */
    private static final List<String> RESULT_TABLES = List.of("| scenario | workers | reuseport | nginx",
            "| server | reuseport | phase |", "| server | kill ");

    @Test
    void everyResultTableIsCopiedWholeFromAResultFile() throws IOException {
        List<String> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(HOME.resolve("bench/results"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                results.add(Files.readString(f));
            }
        }
        List<String> tables = tables(Files.readString(DOC)).stream()
                .filter(t -> RESULT_TABLES.stream().anyMatch(t::startsWith)).toList();
        assertThat(tables).as("result tables in BENCHMARKS.md").hasSizeGreaterThanOrEqualTo(5);
        for (String table : tables) {
            assertThat(results.stream().anyMatch(r -> r.contains(table)))
                    .as("a table of BENCHMARKS.md that no bench/results/*.md holds:%n%s", table).isTrue();
        }
    }

    @Test
    void thePooledVerdictIsWhatPoolPyPrintsForTheKeptRuns(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("python3"), "python3 is not installed (.ci/run installs it)");
        String doc = Files.readString(DOC);
        Matcher m = Pattern.compile("<!-- bench/pool\\.py: \\d+ runs, pier=([0-9a-f]+),").matcher(doc);
        assertThat(m.find()).as("BENCHMARKS.md quotes a pooled set").isTrue();
        Path set = HOME.resolve("bench/results/pooled").resolve(m.group(1));
        List<String> command = new ArrayList<>(List.of("python3", HOME.resolve("bench/pool.py").toString()));
        try (Stream<Path> runs = Files.list(set)) {
            runs.sorted().forEach(r -> command.add(r.toString()));
        }
        assertThat(command).as("runs kept for pier=" + m.group(1)).hasSizeGreaterThanOrEqualTo(4);
        // output to a file, so that the wait below is what bounds the run (a read of the pipe would block first)
        Path output = tmp.resolve("pool.md");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly(); // nothing left behind when the wait runs out
        }
        String out = Files.readString(output);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("pool.py printed its table").contains("<!-- bench/pool.py: ").contains("| scenario |");
        assertThat(doc).as("BENCHMARKS.md holds pool.py's output for %s whole", set).contains(out.strip());
    }

    /** Each Markdown table of {@code text}: its consecutive lines that start with '|', joined with newlines. */
    private static List<String> tables(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("|")) {
                t.append(t.isEmpty() ? "" : "\n").append(line);
            } else if (!t.isEmpty()) {
                out.add(t.toString());
                t.setLength(0);
            }
        }
        if (!t.isEmpty()) {
            out.add(t.toString());
        }
        return out;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
