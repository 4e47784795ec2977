/**
 * Model-agnostic evaluation of object detectors and keypoint estimators from predictions and
 * ground truth: COCO-style AP/AR ({@link dev.groundwork.core.analysis.detection.CocoEvaluator}),
 * TIDE error decomposition ({@link dev.groundwork.core.analysis.detection.TideAnalyzer}) and
 * OKS-based keypoint AP with per-joint errors
 * ({@link dev.groundwork.core.analysis.detection.KeypointEvaluator}) and keypoint errors by type with
 * their oracle AP gains ({@link dev.groundwork.core.analysis.detection.KeypointErrorAnalyzer}).
 *
 * <p>Inputs are plain value records ({@link dev.groundwork.core.analysis.detection.GroundTruthBox},
 * {@link dev.groundwork.core.analysis.detection.DetectedBox},
 * {@link dev.groundwork.core.analysis.detection.KeypointInstance}) or COCO JSON files read with
 * {@link dev.groundwork.core.analysis.detection.CocoJson}. See {@code docs/detection.md} for the
 * definitions and the conventions followed.
 */
package dev.groundwork.core.analysis.detection;
