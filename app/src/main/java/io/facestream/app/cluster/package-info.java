/**
 * A real Kafka cluster and a real Flink session cluster on this machine, each node its own process, running the same
 * job jar and service jars a production cluster runs: {@code facestream cluster up|status|down}.
 */
package io.facestream.app.cluster;
