package dev.pier.os;

/** The signals Pier's master and CLI use, with their Linux x86_64 numbers (nginx's meanings in DESIGN.md). */
public enum Signal {
    HUP(1), INT(2), QUIT(3), KILL(9), USR1(10), USR2(12), TERM(15), CHLD(17), CONT(18), STOP(19), WINCH(28);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The signal with this number, or null if Pier has no name for it. */
    public static Signal of(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        return null;
    }
}
