/**
 * The joiner's configuration: every key declared once, validated before Spark starts, errors naming
 * their keys.
 */
package dev.logwait.joiner.config;
