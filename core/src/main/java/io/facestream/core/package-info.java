/** Immutable domain records shared by every facestream module; free of DJL, Flink and JavaCV types. */
package io.facestream.core;
