/**
 * The stream's health for operators: Prometheus metrics (Micrometer's Prometheus registry) served
 * by {@code stream --metrics-port}.
 */
package dev.logwait.joiner.metrics;
