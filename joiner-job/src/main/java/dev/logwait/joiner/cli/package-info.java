/** The command line: {@code joiner run|ingest|join|status|query|config-reference}. */
package dev.logwait.joiner.cli;
