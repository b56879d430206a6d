package dev.pier.config.bind;

/** The modifier of a {@code location}: none, {@code =}, {@code ^~}, {@code ~}, {@code ~*}. */
public enum LocationMatch {
    /** {@code location /uri} */
    PREFIX,
    /** {@code location = /uri} */
    EXACT,
    /** {@code location ^~ /uri}: a longest-prefix match that stops the regex search */
    PREFIX_NO_REGEX,
    /** {@code location ~ regex} */
    REGEX,
    /** {@code location ~* regex} */
    REGEX_CASELESS,
    /** {@code location @name}: reached only by {@code error_page}/{@code try_files}, never by a URI */
    NAMED
}
