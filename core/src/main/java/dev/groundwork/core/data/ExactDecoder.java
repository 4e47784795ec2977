package dev.groundwork.core.data;

/**
 * Marks Groundwork's own record sources, whose {@link RecordSource#decodeInto} always writes
 * exactly one input's worth of values; batching trusts them and checks every other source.
 */
interface ExactDecoder {}
