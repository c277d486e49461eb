/** The ingestor's HTTP endpoint: Prometheus metrics, and liveness and readiness for Kubernetes' probes. */
package io.facestream.ingest.http;
