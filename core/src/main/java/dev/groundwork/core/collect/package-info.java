/**
 * Collecting data focused on failures: an {@link dev.groundwork.core.collect.UnlabeledPool} (items
 * without labels), a model's {@link dev.groundwork.core.collect.PoolPredictions} on it, and the
 * {@link dev.groundwork.core.collect.PoolMiner}, which ranks pool items for a labelling budget from
 * the failure analysis (uncertainty, failing slices, nearness to failures, diversity, or a mix that
 * follows the collection plan) into a {@link dev.groundwork.core.collect.Selection} with reasons,
 * exportable as CSV, JSONL and Label Studio tasks. See docs/collect.md.
 */
package dev.groundwork.core.collect;
