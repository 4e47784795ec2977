/**
 * Step 2 of the loop, looking at outputs: {@link dev.groundwork.core.look.Look} picks examples
 * from classification predictions (per class, most confident mistakes, least confident correct)
 * into a {@link dev.groundwork.core.look.Gallery} (PNG grid of captioned tiles, tables, Markdown
 * and HTML); {@link dev.groundwork.core.look.Overlay} draws detection boxes and keypoints on an
 * image. Everything is drawn pixel by pixel with a built-in bitmap font: headless, deterministic,
 * no installed fonts needed.
 */
package dev.groundwork.core.look;
