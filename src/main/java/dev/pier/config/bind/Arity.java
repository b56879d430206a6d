package dev.pier.config.bind;

/**
 * How many arguments a directive takes, mirroring nginx's NGX_CONF_NOARGS, TAKE1, TAKE12, ..., 1MORE, 2MORE and FLAG
 * ({@code ngx_conf_handler} checks the count before calling the setter).
 */
public enum Arity {
    NOARGS(0, 0),
    TAKE1(1, 1),
    TAKE2(2, 2),
    TAKE12(1, 2),
    TAKE23(2, 3),
    TAKE123(1, 3),
    TAKE1234(1, 4),
    /** {@code on} or {@code off}: exactly one argument, checked by the flag setter. */
    FLAG(1, 1),
    ONE_OR_MORE(1, Integer.MAX_VALUE),
    TWO_OR_MORE(2, Integer.MAX_VALUE);

    private final int min;
    private final int max;

    Arity(int min, int max) {
        this.min = min;
        this.max = max;
    }

    public boolean accepts(int args) {
        return args >= min && args <= max;
    }
}
