/**
 * Window readers: a published snapshot's Parquet windows into ND4J arrays, through the Hadoop
 * FileSystem API, one file at a time, for training workers running as Spark tasks.
 */
package ai.lvm.reader;
