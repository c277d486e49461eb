/**
 * The gallery service: {@link io.facestream.gallery.GalleryService} runs the Kafka Streams topology and the
 * HTTP API in one process, configured by {@link io.facestream.gallery.GalleryOptions}.
 */
package io.facestream.gallery;
