package dev.pier.config;

import dev.pier.config.ConfigTokenizer.End;
import dev.pier.config.ConfigTokenizer.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link Directive} tree of a configuration, as nginx's {@code ngx_conf_parse} walks it, with every
 * {@code include} replaced by the directives of the files it names (in any context, as {@code include} is allowed
 * everywhere in nginx). Which directives exist and where they may appear is not checked here.
 *
 * <p>As in nginx a block cannot span files: a {@code }} in an included file that would close a block of the including
 * file is {@code unexpected "}"}, and a block left open at the end of an included file is an error in that file.
 *
 * <p>Relative {@code include} paths resolve against the configuration prefix: nginx's {@code conf_prefix}, which is
 * the directory holding the main configuration file.
 */
public final class ConfigParser {
    /** nginx has no limit and fails only when it runs out of descriptors; Pier stops an include loop earlier. */
    static final int MAX_INCLUDE_DEPTH = 32;

    /** nginx's {@code parse_file}, {@code parse_block} and {@code parse_param}. */
    private enum Context { FILE, BLOCK, PARAMETER }

    private final Path confPrefix;
    private final ConfigFileSystem fs;

    private ConfigParser(Path confPrefix, ConfigFileSystem fs) {
        this.confPrefix = (confPrefix == null ? Path.of("") : confPrefix).toAbsolutePath();
        this.fs = fs;
    }

    /**
     * Reads {@code file} (the main configuration) and returns its top-level directives, includes expanded.
     *
     * @param confPrefix the directory relative {@code include} paths resolve against; {@code null} for the directory
     *                   of {@code file}, which is what nginx uses
     */
    public static List<Directive> parseFile(Path file, Path confPrefix) throws ConfigException {
        return parseFile(file, confPrefix, ConfigFileSystem.disk());
    }

    /** {@link #parseFile(Path, Path)} reading the main file and its includes from {@code fs}. */
    public static List<Directive> parseFile(Path file, Path confPrefix, ConfigFileSystem fs) throws ConfigException {
        Path main = file.toAbsolutePath();
        Path prefix = confPrefix != null ? confPrefix : main.getParent();
        byte[] text = fs.read(main, null);
        return new ConfigParser(prefix, fs).parse(ConfigTokenizer.forFile(main, text), Context.FILE, 0);
    }

    /**
     * Parses the directives of a {@code -g} option with nginx's rules for it: no blocks, {@code unexpected end of
     * parameter, expecting ";"} when the last one is not terminated, and every directive and error located at
     * {@code origin} (use {@link Source#commandLine()} so errors end with {@code in command line}).
     *
     * @param confPrefix the directory relative {@code include} paths resolve against (the main file's directory);
     *                   {@code null} for the working directory
     */
    public static List<Directive> parseString(String text, Source origin, Path confPrefix) throws ConfigException {
        return parseString(text, origin, confPrefix, ConfigFileSystem.disk());
    }

    /** {@link #parseString(String, Source, Path)} reading included files from {@code fs}. */
    public static List<Directive> parseString(String text, Source origin, Path confPrefix, ConfigFileSystem fs)
            throws ConfigException {
        ConfigTokenizer tokenizer = ConfigTokenizer.forParameter(origin, text.getBytes(StandardCharsets.UTF_8));
        return new ConfigParser(confPrefix, fs).parse(tokenizer, Context.PARAMETER, 0);
    }

    /**
     * Parses {@code text} as if it were the content of the file {@code file} (lines counted from 1, blocks allowed),
     * without reading {@code file}. Meant for tests and tools that hold configuration text in memory.
     *
     * @param confPrefix the directory relative {@code include} paths resolve against; {@code null} for the working
     *                   directory
     */
    public static List<Directive> parseText(String text, Path file, Path confPrefix) throws ConfigException {
        ConfigTokenizer tokenizer = ConfigTokenizer.forFile(file, text.getBytes(StandardCharsets.UTF_8));
        return new ConfigParser(confPrefix, ConfigFileSystem.disk()).parse(tokenizer, Context.FILE, 0);
    }

    private List<Directive> parse(ConfigTokenizer tokenizer, Context context, int depth) throws ConfigException {
        List<Directive> directives = new ArrayList<>();
        for (;;) {
            Statement statement = tokenizer.next();
            switch (statement.end()) {
                case BLOCK_END -> {
                    if (context != Context.BLOCK) {
                        throw new ConfigException("unexpected \"}\"", tokenizer.here());
                    }
                    return directives;
                }
                case EOF -> {
                    if (context == Context.BLOCK) {
                        throw new ConfigException("unexpected end of file, expecting \"}\"", tokenizer.here());
                    }
                    return directives;
                }
                case BLOCK_START -> {
                    if (context == Context.PARAMETER) {
                        throw new ConfigException("block directives are not supported in -g option", tokenizer.here());
                    }
                }
                case SEMICOLON -> {
                }
            }
            Source source = tokenizer.here();
            List<String> words = statement.words();
            String name = words.getFirst();
            List<String> args = words.subList(1, words.size());
            if (name.equals("include")) {
                include(statement, source, depth, directives);
            } else if (statement.end() == End.BLOCK_START) {
                directives.add(new Directive(name, args, parse(tokenizer, Context.BLOCK, depth), source));
            } else {
                directives.add(Directive.simple(name, args, source));
            }
        }
    }

    /** nginx's {@code ngx_conf_include}, checked first as {@code ngx_conf_handler} checks any directive. */
    private void include(Statement statement, Source source, int depth, List<Directive> into) throws ConfigException {
        if (statement.end() != End.SEMICOLON) {
            throw new ConfigException("directive \"include\" is not terminated by \";\"", source);
        }
        if (statement.words().size() != 2) {
            throw new ConfigException("invalid number of arguments in \"include\" directive", source);
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new ConfigException("\"include\" directive is nested too deep (more than " + MAX_INCLUDE_DEPTH
                    + " levels), probably an include loop", source);
        }
        String name = Includes.fullName(confPrefix, statement.words().get(1));
        if (name.indexOf('\0') >= 0) { // Path.of would throw (found by ConfigParserFuzzTest)
            throw new ConfigException("invalid path in \"include\" directive", source);
        }
        List<Path> files = Includes.isPattern(name) ? fs.glob(name) : List.of(Path.of(name));
        for (Path file : files) {
            byte[] text = fs.read(file, source);
            into.addAll(parse(ConfigTokenizer.forFile(file, text), Context.FILE, depth + 1));
        }
    }
}
