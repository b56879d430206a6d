package dev.pier.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Steers a SO_REUSEPORT group with a classic BPF program (SO_ATTACH_REUSEPORT_CBPF), so sockets about to be retired
 * get no new connections (DESIGN Rule 3). The program's return value is a socket's index in the group, which is the
 * order of the listen() calls; when a socket closes, the last one moves into its index. An index out of range makes
 * the kernel fall back to hashing over every socket, so the program only ever returns a live index:
 *
 * <pre>
 *   ld  [SKF_AD_OFF + SKF_AD_RXHASH]    A = the packet's flow hash
 *   mod #n                              A = A % n            (n = live.length)
 *   jeq #0, 0, 1 ; ret #live[0]         a table 0..n-1 -> live index
 *   ...
 *   ret #live[0]                        not reachable; keeps every path returning a live index
 * </pre>
 *
 * The program is attached to the group through any one of its sockets and replaces the previous one. It also keeps any
 * other process of the same uid that joins the group (its sockets get higher indices) from receiving connections.
 */
public final class ReuseportCbpf {
    /** Classic BPF caps a program at 4096 instructions (BPF_MAXINSNS); each live index takes two. */
    public static final int MAX_LIVE = (4096 - 3) / 2;

    private static final int SO_DETACH_REUSEPORT_BPF = 68;
    private static final short LD_W_ABS = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    private static final short ALU_MOD_K = 0x94;  // BPF_ALU | BPF_MOD | BPF_K
    private static final short JMP_JEQ_K = 0x15;  // BPF_JMP | BPF_JEQ | BPF_K
    private static final short RET_K = 0x06;      // BPF_RET | BPF_K
    private static final int SKF_AD_RXHASH = -0x1000 + 32; // SKF_AD_OFF + SKF_AD_RXHASH
    private static final int INSN_SIZE = 8;       // struct sock_filter { u16 code; u8 jt, jf; u32 k; }

    private ReuseportCbpf() {
    }

    /** Attaches a program that spreads new connections over {@code liveIndices} only. */
    public static void attach(int fd, int[] liveIndices) throws OsException {
        int n = liveIndices.length;
        if (n == 0 || n > MAX_LIVE) {
            throw new IllegalArgumentException("need 1.." + MAX_LIVE + " live indices, got " + n);
        }
        for (int index : liveIndices) {
            if (index < 0) {
                throw new IllegalArgumentException("negative reuseport index " + index);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            int count = 3 + 2 * n;
            MemorySegment program = arena.allocate((long) INSN_SIZE * count, 8);
            int pc = 0;
            pc = put(program, pc, LD_W_ABS, 0, 0, SKF_AD_RXHASH);
            pc = put(program, pc, ALU_MOD_K, 0, 0, n);
            for (int i = 0; i < n; i++) {
                pc = put(program, pc, JMP_JEQ_K, 0, 1, i);
                pc = put(program, pc, RET_K, 0, 0, liveIndices[i]);
            }
            put(program, pc, RET_K, 0, 0, liveIndices[0]);
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(Native.SHORT, 0, (short) count);
            fprog.set(Native.PTR, 8, program);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_REUSEPORT_CBPF, fprog,
                    "setsockopt(SO_ATTACH_REUSEPORT_CBPF) fd " + fd);
        }
    }

    /** Removes the group's program: the kernel hashes over every socket again. */
    public static void detach(int fd) throws OsException {
        ListenSockets.setInt(fd, Libc.SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, 0,
                "setsockopt(SO_DETACH_REUSEPORT_BPF) fd " + fd);
    }

    private static int put(MemorySegment program, int pc, short code, int jt, int jf, int k) {
        long at = (long) INSN_SIZE * pc;
        program.set(Native.SHORT, at, code);
        program.set(Native.BYTE, at + 2, (byte) jt);
        program.set(Native.BYTE, at + 3, (byte) jf);
        program.set(Native.INT, at + 4, k);
        return pc + 1;
    }
}
