package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.pier.config.bind.Context.HTTP;
import static dev.pier.config.bind.Context.IF_LOCATION;
import static dev.pier.config.bind.Context.IF_SERVER;
import static dev.pier.config.bind.Context.LOCATION;
import static dev.pier.config.bind.Context.SERVER;
import static dev.pier.config.bind.DirectiveSpec.block;
import static dev.pier.config.bind.DirectiveSpec.simple;

/**
 * ngx_http_rewrite_module's {@code rewrite}, {@code set}, {@code break}, {@code if}, {@code rewrite_log} and
 * {@code uninitialized_variable_warn} ({@code return} is in {@link RewriteDirectives} and joins the same program).
 * An {@code if} in a location is also an implicit nested location (see {@link RewriteOp.If}) that takes every
 * directive nginx allows in {@code if in location} ({@code root}, {@code add_header}, {@code proxy_pass} …); a
 * server's {@code if} takes the rewrite module's directives only, as in nginx.
 */
public final class RewriteConfModule implements ConfModule<RewriteConfModule.Builder, RewriteConf> {
    public static final RewriteConfModule INSTANCE = new RewriteConfModule();

    private RewriteConfModule() {
    }

    /** One level (or one {@code if} body) while binding. */
    public static final class Builder {
        final List<RewriteOp> ops = new ArrayList<>();
        final Slot<Boolean> log = new Slot<>();
        final Slot<Boolean> uninitializedVariableWarn = new Slot<>();
    }

    @Override
    public Class<RewriteConf> confType() {
        return RewriteConf.class;
    }

    @Override
    public List<DirectiveSpec> directives() {
        return List.of(
                simple("rewrite", Arity.TAKE23, RewriteConfModule::rewrite, SERVER, LOCATION, IF_SERVER, IF_LOCATION),
                simple("set", Arity.TAKE2, RewriteConfModule::set, SERVER, LOCATION, IF_SERVER, IF_LOCATION),
                simple("break", Arity.NOARGS, (d, s) -> s.module(INSTANCE).ops.add(new RewriteOp.Break(d.source())),
                        SERVER, LOCATION, IF_SERVER, IF_LOCATION),
                block("if", Arity.ONE_OR_MORE, RewriteConfModule::ifBlock, SERVER, LOCATION),
                simple("rewrite_log", Arity.FLAG, Slots.flag(s -> s.module(INSTANCE).log), HTTP, SERVER, LOCATION,
                        IF_SERVER, IF_LOCATION),
                simple("uninitialized_variable_warn", Arity.FLAG,
                        Slots.flag(s -> s.module(INSTANCE).uninitializedVariableWarn), HTTP, SERVER, LOCATION,
                        IF_SERVER, IF_LOCATION));
    }

    /** {@code ngx_http_rewrite}: the regex, the replacement (a final '?' drops the arguments) and the flag. */
    private static void rewrite(Directive d, Scope s) throws ConfigException {
        String regexText = d.args().get(0);
        String replacement = d.args().get(1);
        if (replacement.isEmpty()) {
            throw Errors.at(d, "empty replacement");
        }
        Pattern regex = regex(d, regexText, false);
        boolean addArgs = true;
        if (replacement.endsWith("?")) {
            replacement = replacement.substring(0, replacement.length() - 1);
            addArgs = false;
        }
        int status = replacement.startsWith("http://") || replacement.startsWith("https://")
                || replacement.startsWith("$scheme") ? 302 : 0;
        RewriteOp.Flag flag = RewriteOp.Flag.NONE;
        if (d.args().size() == 3) {
            flag = switch (d.args().get(2)) {
                case "last" -> RewriteOp.Flag.LAST;
                case "break" -> RewriteOp.Flag.BREAK;
                case "redirect" -> RewriteOp.Flag.REDIRECT;
                case "permanent" -> RewriteOp.Flag.PERMANENT;
                default -> throw Errors.at(d, "invalid parameter " + Errors.q(d.args().get(2)));
            };
            if (flag == RewriteOp.Flag.REDIRECT) {
                status = 302;
            } else if (flag == RewriteOp.Flag.PERMANENT) {
                status = 301;
            }
        }
        VariableCatalog.check(replacement, d.source());
        s.module(INSTANCE).ops.add(new RewriteOp.Rewrite(regexText, regex, replacement, addArgs, flag, status,
                d.source()));
    }

    /** {@code ngx_http_rewrite_set}: declares the variable for the whole configuration and assigns it here. */
    private static void set(Directive d, Scope s) throws ConfigException {
        String name = variableName(d, d.args().get(0));
        // nginx's changeable built-ins (NGX_HTTP_VAR_CHANGEABLE) that Pier has: $args and $limit_rate
        if (!name.equals("args") && !name.equals("limit_rate") && VariableCatalog.builtin(name)) {
            throw Errors.at(d, "the duplicate " + Errors.q(name) + " variable");
        }
        VariableCatalog.check(d.args().get(1), d.source());
        s.module(INSTANCE).ops.add(new RewriteOp.Set(name, d.args().get(1), d.source()));
    }

    /**
     * {@code ngx_http_rewrite_if}: the condition, then the block's rewrite directives compiled into this level's
     * program (nginx compiles them into the enclosing level's code array). In a location the block's other
     * directives stay in its implicit location, whose own program is empty: it is never searched for, only entered.
     */
    private static void ifBlock(Directive d, Scope s) throws ConfigException {
        RewriteCondition condition = RewriteIfCondition.parse(d);
        int location = s.context() == LOCATION ? s.location().ifBlocks.size() : -1;
        Scope inner = s.enterIf(d.source());
        inner.walk(d.children());
        List<RewriteOp> body = inner.module(INSTANCE).ops;
        s.module(INSTANCE).ops.add(new RewriteOp.If(condition, body, location, d.source()));
        body.clear();
    }

    /** {@code $name} → {@code name}; nginx's {@code invalid variable name} otherwise. */
    static String variableName(Directive d, String arg) throws ConfigException {
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw Errors.at(d, "invalid variable name " + Errors.q(arg));
        }
        for (int i = 1; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                throw Errors.at(d, "invalid variable name " + Errors.q(arg));
            }
        }
        return arg.substring(1).toLowerCase(Locale.ROOT);
    }

    static Pattern regex(Directive d, String text, boolean caseless) throws ConfigException {
        try {
            return CaptureRegex.compile(text, caseless);
        } catch (PatternSyntaxException e) {
            throw Errors.at(d, CaptureRegex.error(e, text));
        }
    }

    @Override
    public Builder newBuilder() {
        return new Builder();
    }

    @Override
    public RewriteConf merge(Builder own, RewriteConf parent) {
        return new RewriteConf(own.ops, own.log.orElse(parent.log()),
                own.uninitializedVariableWarn.orElse(parent.uninitializedVariableWarn()));
    }

    @Override
    public RewriteConf defaults(Path prefix) {
        return RewriteConf.DEFAULTS;
    }
}
