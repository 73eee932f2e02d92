/**
 * Raw tables to training tables: finalization, the join itself as a function of Datasets, join
 * health. Internal: no compatibility is promised.
 */
package dev.logwait.joiner.join;
