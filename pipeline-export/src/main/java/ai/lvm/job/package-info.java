/** What every job shares: the {@link ai.lvm.job.Job} contract, its thin main, build info. */
package ai.lvm.job;
