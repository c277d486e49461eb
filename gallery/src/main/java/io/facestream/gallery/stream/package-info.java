/**
 * The Kafka Streams side of the gallery: the topology that materialises {@code gallery} and
 * {@code enrolment-results} and folds {@code matches} into visits on {@code sightings}, and the queries
 * on its stores.
 */
package io.facestream.gallery.stream;
