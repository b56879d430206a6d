package dev.pier.http.rewrite;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.CaptureRegex;
import dev.pier.config.bind.LocationConf;
import dev.pier.config.bind.RewriteCondition;
import dev.pier.config.bind.RewriteConf;
import dev.pier.config.bind.RewriteOp;
import dev.pier.http.HttpModule;
import dev.pier.http.Location;
import dev.pier.http.PhaseHandler;
import dev.pier.http.Template;
import dev.pier.http.Variable;
import dev.pier.http.Variables;

import java.util.List;
import java.util.Optional;

/**
 * ngx_http_rewrite_module: each level's {@code rewrite}, {@code return}, {@code set}, {@code break} and {@code if}
 * compiled once into a {@link RewriteProgram} for that level's rewrite phase (the server level's runs before the
 * location search, a location's after it).
 */
public final class RewriteModule implements HttpModule {
    @Override
    public Optional<PhaseHandler> rewrite(LocationConf loc) throws ConfigException {
        return rewrite(loc, nested -> {
            throw new ConfigException("if block of " + loc.pattern() + " compiled without its location",
                    nested.source());
        });
    }

    @Override
    public Optional<PhaseHandler> rewrite(LocationConf loc, LocationCompiler nested) throws ConfigException {
        RewriteConf conf = conf(loc);
        List<RewriteOp> ops = conf.ops();
        if (ops.isEmpty() && loc.ret().isPresent()) {
            ops = List.of(new RewriteOp.Return(loc.ret().get(), loc.source())); // a level built by hand
        }
        if (ops.isEmpty()) {
            return Optional.empty();
        }
        List<Location> ifs = new java.util.ArrayList<>(conf.ifLocations().size());
        for (LocationConf block : conf.ifLocations()) {
            ifs.add(nested.compile(block));
        }
        return Optional.of(new RewriteProgram(compile(ops, ifs), conf.log()));
    }

    private static RewriteConf conf(LocationConf loc) {
        try {
            return loc.modules().get(RewriteConf.class);
        } catch (IllegalArgumentException handBuilt) {
            return RewriteConf.DEFAULTS;
        }
    }

    private static Step[] compile(List<RewriteOp> ops, List<Location> ifs) throws ConfigException {
        Step[] steps = new Step[ops.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = compile(ops.get(i), ifs);
        }
        return steps;
    }

    private static Step compile(RewriteOp op, List<Location> ifs) throws ConfigException {
        return switch (op) {
            case RewriteOp.Rewrite r -> new Step.Rewrite(r.regexText(), r.regex(), CaptureRegex.names(r.regex()),
                    Replacement.compile(r.replacement(), r.redirect(), r.source()), r.addArgs(), r.status(),
                    r.stops(), r.flag() == RewriteOp.Flag.BREAK);
            case RewriteOp.Return ret -> new Step.Return(new ReturnHandler(ret.conf(),
                    ret.conf().text().isPresent() ? Template.compile(ret.conf().text().get(), ret.source()) : null));
            case RewriteOp.Set set -> new Step.Set(set.name(), Template.compile(set.value(), set.source()));
            case RewriteOp.Break b -> new Step.Break();
            case RewriteOp.If i -> new Step.If(condition(i.condition(), i.source()), compile(i.body(), ifs),
                    i.location() >= 0 && i.location() < ifs.size() ? ifs.get(i.location()) : null);
        };
    }

    private static Step.Condition condition(RewriteCondition c, Source source) throws ConfigException {
        return switch (c) {
            case RewriteCondition.Variable v -> new Step.IsTrue(variable(v.name(), source));
            case RewriteCondition.Compare cmp -> new Step.Compare(variable(cmp.name(), source),
                    Template.compile(cmp.value(), source), cmp.negate());
            case RewriteCondition.Match m -> new Step.Match(variable(m.name(), source), m.regexText(), m.regex(),
                    CaptureRegex.names(m.regex()), m.negate());
            case RewriteCondition.FileTest f -> new Step.FileTest(f.op(), f.negate(),
                    Template.compile(f.path(), source));
        };
    }

    private static Variable variable(String name, Source source) throws ConfigException {
        return Variables.standard().resolve(name).orElseThrow(
                () -> new ConfigException("unknown \"" + name + "\" variable", source));
    }
}
