/** Tests that the docker and k8s folders still describe the project: its commands, its topics, its addresses. */
package io.facestream.app.deploy;
