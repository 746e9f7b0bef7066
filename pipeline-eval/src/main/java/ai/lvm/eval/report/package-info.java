/**
 * The evaluation report: pure functions from {@link ai.lvm.eval.report.ReportData} to an HTML page
 * with its PNG charts ({@link ai.lvm.eval.report.Report}) and to the text table the job prints at
 * its end ({@link ai.lvm.eval.report.ConsoleSummary}). No Spark, no I/O: the caller writes the
 * returned bytes wherever the run's outputs go.
 */
package ai.lvm.eval.report;
