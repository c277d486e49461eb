/** The gallery service's Prometheus metrics (Micrometer), served at {@code GET /metrics}. */
package io.facestream.gallery.metrics;
