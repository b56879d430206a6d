/**
 * java.lang.foreign bindings for the syscalls the JDK and Netty lack; JDK only.
 *
 * <p>Listening sockets with every nginx {@code listen} option ({@link dev.pier.os.ListenSockets}), Unix domain sockets
 * with descriptor passing and peer credentials ({@link dev.pier.os.UnixSockets}), the reuseport steering program
 * ({@link dev.pier.os.ReuseportCbpf}), {@code signalfd} ({@link dev.pier.os.SignalFd}), a few process calls
 * ({@link dev.pier.os.Posix}), user and group look-ups ({@link dev.pier.os.Accounts}), giving up root in every thread
 * ({@link dev.pier.os.Privileges}), handing log files to the worker user ({@link dev.pier.os.FileOwners}), and three
 * frequent paths, each an exact call into per-thread scratch memory: static files opened as nginx opens them
 * ({@link dev.pier.os.RawFiles}), the unread bytes of a closing connection ({@link dev.pier.os.SocketQueues}) and the
 * length of a listener's accept queue, which the master samples ten times a second ({@link dev.pier.os.AcceptQueues}).
 * Linux x86_64 with glibc only: struct layouts and constants are that ABI's.
 *
 * <p>Method handles are linked lazily in holder classes (linking the first one costs tens of milliseconds) and every
 * call captures {@code errno} through {@code Linker.Option.captureCallState}, so a failure becomes an
 * {@link dev.pier.os.OsException} worded like nginx's error log. Depends on the JDK only (plus the bound
 * {@code ListenSpec} record it opens sockets for).
 */
package dev.pier.os;
