/**
 * Pier: an HTTP server and reverse proxy with nginx's process model. {@link dev.pier.Pier} is the entry point that
 * chooses a role; the sub-packages are the roles and layers (see {@code ../shared/DESIGN.md} for the architecture).
 */
package dev.pier;
