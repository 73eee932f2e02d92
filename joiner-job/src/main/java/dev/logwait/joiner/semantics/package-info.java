/**
 * The rules of docs/design.md's Semantics section, each written once: as the Spark column the job
 * evaluates and, where useful, as a plain predicate. Depends on nothing else of the joiner.
 * Internal: no compatibility is promised.
 */
package dev.logwait.joiner.semantics;
