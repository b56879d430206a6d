/**
 * The error log in nginx's line format, shared by master, workers and modules: one {@code ErrorLog} per level's
 * {@code error_log} lines (main, http, server, location), all of one configuration sharing their open files so each
 * is opened once and reopened once on USR1. JDK and {@code dev.pier.config.bind} only.
 */
package dev.pier.log;
