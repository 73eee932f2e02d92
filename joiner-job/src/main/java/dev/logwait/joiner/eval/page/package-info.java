/**
 * The evaluation report as one self-contained HTML page (inline SVG charts, no script, no network),
 * drawn from the figure records of {@code dev.logwait.joiner.eval.figures} alone.
 */
package dev.logwait.joiner.eval.page;
