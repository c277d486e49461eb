/** The gallery's HTTP API: routes, input limits, image sniffing and the JSON views it answers with. */
package io.facestream.gallery.http;
