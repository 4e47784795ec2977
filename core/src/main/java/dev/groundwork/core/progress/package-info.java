/**
 * Progress of long steps (the overfit check, the LR finder, cross-validation, embedding a dataset,
 * the fit loop): a {@link dev.groundwork.core.progress.Progress} listener receives {@link
 * dev.groundwork.core.progress.ProgressUpdate}s; {@link dev.groundwork.core.progress.Progress#console}
 * renders them on a terminal or as sparse lines in a log.
 *
 * <p>Default everywhere: {@link dev.groundwork.core.progress.Progress#auto()} — a redrawn bar on
 * standard error when the JVM runs on an interactive terminal, nothing otherwise, so a service's
 * logs get no progress unless it asks. See docs/progress.md.
 */
package dev.groundwork.core.progress;
