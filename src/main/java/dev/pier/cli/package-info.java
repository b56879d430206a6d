/**
 * The command line: nginx's flags, the role choice, {@code -t}/{@code -T}, {@code -s} (through the control socket),
 * start-up and {@code daemon on}. The top of the dependency graph: may use every other package.
 */
package dev.pier.cli;
