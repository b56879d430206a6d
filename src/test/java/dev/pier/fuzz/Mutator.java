package dev.pier.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random mutations of valid inputs for the fuzz tests (no fuzzing dependency): byte flips, byte insertions
 * from an alphabet of the format's special bytes, deletions, truncations, duplicated and swapped tokens. The same seed
 * gives the same cases, so a failure names its seed and case number and can be replayed with
 * {@code -Dfuzz.seed=S}.
 */
public final class Mutator {
    private final SplittableRandom random;
    private final byte[] alphabet;

    /** {@code alphabet}: bytes worth inserting for the format under test (delimiters, quotes, control bytes). */
    public Mutator(long seed, byte[] alphabet) {
        this.random = new SplittableRandom(seed);
        this.alphabet = alphabet.clone();
    }

    /** How many cases to run: {@code -Dfuzz.cases=N}, else {@code dflt}. */
    public static int cases(int dflt) {
        return Integer.getInteger("fuzz.cases", dflt);
    }

    /** The seed: {@code -Dfuzz.seed=S}, else {@code dflt} (fixed, so CI runs are reproducible). */
    public static long seed(long dflt) {
        return Long.getLong("fuzz.seed", dflt);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** One to four mutations of {@code input}. */
    public byte[] mutate(byte[] input) {
        byte[] b = input;
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b = once(b);
        }
        return b;
    }

    private byte[] once(byte[] b) {
        if (b.length == 0) {
            return new byte[] {pick()};
        }
        int at = random.nextInt(b.length);
        return switch (random.nextInt(7)) {
            case 0 -> { // flip a bit
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << random.nextInt(8));
                yield c;
            }
            case 1 -> { // replace with a special byte
                byte[] c = b.clone();
                c[at] = pick();
                yield c;
            }
            case 2 -> insert(b, at, new byte[] {pick()});
            case 3 -> { // delete a range
                int len = 1 + random.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + len, c, at, b.length - at - len);
                yield c;
            }
            case 4 -> Arrays.copyOf(b, at); // truncate
            case 5 -> { // duplicate a token (a run between spaces/newlines) in place, up to 64 times
                int[] t = token(b, at);
                byte[] tok = Arrays.copyOfRange(b, t[0], t[1]);
                int times = random.nextInt(8) == 0 ? 1 + random.nextInt(64) : 1;
                byte[] rep = new byte[tok.length * times];
                for (int i = 0; i < times; i++) {
                    System.arraycopy(tok, 0, rep, i * tok.length, tok.length);
                }
                yield insert(b, t[1], rep);
            }
            default -> { // swap two tokens
                int[] t1 = token(b, at);
                int[] t2 = token(b, random.nextInt(b.length));
                if (t1[0] == t2[0] || t1[1] > t2[0] && t2[1] > t1[0]) {
                    yield b;
                }
                int[] first = t1[0] < t2[0] ? t1 : t2;
                int[] second = first == t1 ? t2 : t1;
                List<byte[]> parts = new ArrayList<>(List.of(Arrays.copyOfRange(b, 0, first[0]),
                        Arrays.copyOfRange(b, second[0], second[1]), Arrays.copyOfRange(b, first[1], second[0]),
                        Arrays.copyOfRange(b, first[0], first[1]), Arrays.copyOfRange(b, second[1], b.length)));
                byte[] c = new byte[b.length];
                int p = 0;
                for (byte[] part : parts) {
                    System.arraycopy(part, 0, c, p, part.length);
                    p += part.length;
                }
                yield c;
            }
        };
    }

    private byte pick() {
        return random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    /** {@code [start, end)} of the token around {@code at}, including its trailing separator. */
    private static int[] token(byte[] b, int at) {
        int s = at;
        while (s > 0 && !sep(b[s - 1])) {
            s--;
        }
        int e = at;
        while (e < b.length && !sep(b[e])) {
            e++;
        }
        if (e < b.length) {
            e++;
        }
        return new int[] {s, e};
    }

    private static boolean sep(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
