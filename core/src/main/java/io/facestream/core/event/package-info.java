/**
 * The immutable values carried by the facestream topics, one record per topic value; constructors
 * validate and copy arrays so a record never changes after it is built.
 */
package io.facestream.core.event;
