/** Rate limits on the HTTP API: a token bucket per API token. */
package io.facestream.gallery.ratelimit;
