/** Who may use the gallery's API: API tokens with a role, checked in constant time, and the audit log of changes. */
package io.facestream.gallery.auth;
