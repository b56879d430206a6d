package dev.pier.http;

import dev.pier.config.ConfigException;
import dev.pier.config.Source;
import dev.pier.config.bind.TemplateSyntax;

import java.util.ArrayList;
import java.util.List;

/**
 * A value with variables ({@code "$scheme://$host$request_uri"}) compiled once: literal runs, {@link Variable}s
 * resolved through the {@link Variables} registry, and regex captures {@code $1}..{@code $9}. Rendering a constant
 * template returns its text without allocating, and a template that is one variable ({@code $proxy_host}) returns the
 * variable's value without copying it.
 */
public final class Template {
    private final String text;
    private final Object[] parts; // String, Variable or Integer (capture); null when constant
    /** The template's only part when that is a variable, else null. */
    private final Variable single;

    private Template(String text, Object[] parts) {
        this.text = text;
        this.parts = parts;
        this.single = parts != null && parts.length == 1 && parts[0] instanceof Variable v ? v : null;
    }

    /** Compiles with the standard registry; unknown names fail like nginx's config check. */
    public static Template compile(String text, Source source) throws ConfigException {
        return compile(text, source, Variables.standard());
    }

    public static Template compile(String text, Source source, Variables vars) throws ConfigException {
        List<Object> parts = new ArrayList<>();
        boolean constant = true;
        for (TemplateSyntax.Part p : TemplateSyntax.parse(text, source)) {
            switch (p) {
                case TemplateSyntax.Literal(String lit) -> parts.add(lit);
                case TemplateSyntax.Ref(String name) -> {
                    parts.add(vars.resolve(name).orElseThrow(
                            () -> new ConfigException("unknown \"" + name + "\" variable", source)));
                    constant = false;
                }
                case TemplateSyntax.Capture(int group) -> {
                    parts.add(group);
                    constant = false;
                }
            }
        }
        return constant ? new Template(text, null) : new Template(text, parts.toArray());
    }

    public boolean isConstant() {
        return parts == null;
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    public String render(Exchange ex) {
        if (parts == null) {
            return text;
        }
        if (single != null) {
            return single.value(ex);
        }
        StringBuilder sb = new StringBuilder(64);
        for (Object p : parts) {
            switch (p) {
                case Variable v -> sb.append(v.value(ex));
                case Integer g -> sb.append(ex.capture(g));
                default -> sb.append((String) p);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
