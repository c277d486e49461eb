/** The HTTP endpoint every headless deployable serves for Prometheus and Kubernetes: metrics and two probes. */
package io.facestream.core.http;
