package dev.pier.config.bind;

import dev.pier.config.ConfigException;
import dev.pier.config.Directive;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code location [=|^~|~|~*] URI { }} as nginx's {@code ngx_http_core_location}: the modifier may also be glued to
 * the URI ({@code location =/x}); nested locations may not sit in exact ones and a nested non-regex location must
 * start with its parent's name; two exact or two prefix locations with one name in one level are duplicates.
 */
final class LocationDirective {
    private LocationDirective() {
    }

    static void location(Directive d, Scope s) throws ConfigException {
        LocationMatch match;
        String name;
        if (d.args().size() == 2) {
            match = switch (d.args().getFirst()) {
                case "=" -> LocationMatch.EXACT;
                case "^~" -> LocationMatch.PREFIX_NO_REGEX;
                case "~" -> LocationMatch.REGEX;
                case "~*" -> LocationMatch.REGEX_CASELESS;
                default -> throw Errors.at(d, "invalid location modifier " + Errors.q(d.args().getFirst()));
            };
            name = d.args().get(1);
        } else {
            String a = d.args().getFirst();
            if (a.startsWith("=")) {
                match = LocationMatch.EXACT;
                name = a.substring(1);
            } else if (a.startsWith("^~")) {
                match = LocationMatch.PREFIX_NO_REGEX;
                name = a.substring(2);
            } else if (a.startsWith("~*")) {
                match = LocationMatch.REGEX_CASELESS;
                name = a.substring(2);
            } else if (a.startsWith("~")) {
                match = LocationMatch.REGEX;
                name = a.substring(1);
            } else {
                match = LocationMatch.PREFIX;
                name = a;
            }
        }
        if (name.startsWith("@") && match == LocationMatch.PREFIX) {
            match = LocationMatch.NAMED;
            if (s.context() == Context.LOCATION) {
                throw Errors.at(d, "named location " + Errors.q(name) + " can be on the server level only");
            }
        }
        boolean regex = match == LocationMatch.REGEX || match == LocationMatch.REGEX_CASELESS;
        Optional<Pattern> compiled = regex ? Optional.of(compile(d, name, match)) : Optional.empty();
        LocationBuilder loc = new LocationBuilder(match, name, compiled, d.source());
        LocationBuilder parent = s.location();
        if (s.context() == Context.LOCATION) {
            checkNesting(d, parent, loc);
        }
        checkDuplicate(d, parent, loc);
        parent.nested.add(loc);
        s.enterLocation(loc).walk(d.children());
    }

    private static void checkNesting(Directive d, LocationBuilder parent, LocationBuilder child)
            throws ConfigException {
        if (parent.match == LocationMatch.NAMED) {
            throw Errors.at(d, "location " + Errors.q(child.pattern) + " could not be inside the named location "
                    + Errors.q(parent.pattern));
        }
        if (parent.match == LocationMatch.EXACT) {
            throw Errors.at(d, "location " + Errors.q(child.pattern) + " cannot be inside the exact location "
                    + Errors.q(parent.pattern));
        }
        if (child.regex.isEmpty() && !child.pattern.startsWith(parent.pattern)) {
            throw Errors.at(d, "location " + Errors.q(child.pattern) + " is outside location "
                    + Errors.q(parent.pattern));
        }
    }

    /** nginx's {@code ngx_http_join_exact_locations}: "=" and prefix ({@code ^~} or none) clash by kind. */
    private static void checkDuplicate(Directive d, LocationBuilder parent, LocationBuilder loc)
            throws ConfigException {
        if (loc.regex.isPresent()) {
            return;
        }
        boolean exact = loc.match == LocationMatch.EXACT;
        for (LocationBuilder sibling : parent.nested) {
            if (loc.match == LocationMatch.NAMED) {
                if (sibling.match == LocationMatch.NAMED && sibling.pattern.equals(loc.pattern)) {
                    throw Errors.at(d, "duplicate location " + Errors.q(loc.pattern));
                }
                continue;
            }
            if (sibling.regex.isEmpty() && sibling.match != LocationMatch.NAMED && sibling.pattern.equals(loc.pattern)
                    && (sibling.match == LocationMatch.EXACT) == exact) {
                throw Errors.at(d, "duplicate location " + Errors.q(loc.pattern));
            }
        }
    }

    private static Pattern compile(Directive d, String regex, LocationMatch match) throws ConfigException {
        try {
            return CaptureRegex.compile(regex, match == LocationMatch.REGEX_CASELESS); // PCRE group names
        } catch (PatternSyntaxException e) {
            throw Errors.at(d, "pcre2_compile() failed: " + e.getDescription() + " in " + Errors.q(regex)
                    + (e.getIndex() >= 0 ? " at " + Errors.q(regex.substring(Math.min(e.getIndex(),
                    regex.length()))) : ""));
        }
    }
}
