package dev.pier.config.bind;

/**
 * {@code so_keepalive=on|off|[idle]:[intvl]:[cnt]}. {@link Mode#DEFAULT} leaves SO_KEEPALIVE as the system has it;
 * zero for a timer means "the system's default" (the field was left empty, as in {@code so_keepalive=30m::10}).
 */
public record SoKeepalive(Mode mode, int idleSeconds, int intervalSeconds, int count) {
    public enum Mode { DEFAULT, ON, OFF }

    public static final SoKeepalive DEFAULT = new SoKeepalive(Mode.DEFAULT, 0, 0, 0);

    public SoKeepalive {
        if (idleSeconds < 0 || intervalSeconds < 0 || count < 0) {
            throw new IllegalArgumentException("negative keepalive value");
        }
        if (mode != Mode.ON && (idleSeconds | intervalSeconds | count) != 0) {
            throw new IllegalArgumentException("keepalive timers need mode ON");
        }
    }
}
