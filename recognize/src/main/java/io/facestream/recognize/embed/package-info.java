/**
 * Face embedders: MobileFaceNet-192 and dlib ResNet-128 defined as DJL blocks in Java, their weight
 * imports from the original packaged files, and the {@link io.facestream.recognize.embed.FaceEmbedder}
 * API the rest of the system uses.
 */
package io.facestream.recognize.embed;
