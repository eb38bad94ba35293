/**
 * A canary's analysis (issue 10, point 4): the new revision's instances compared with the current
 * revision's over the same window, from the request metrics every kit service exports, against
 * the thresholds of the spec's {@code deployment.analysis}. {@link
 * io.remit.scheduler.release.analysis.CanaryJudge#judge} gives a {@link
 * io.remit.scheduler.release.analysis.Verdict} with the numbers it used; {@link
 * io.remit.scheduler.release.analysis.AnalysisValidator} reads and checks the spec's block.
 */
package io.remit.scheduler.release.analysis;
