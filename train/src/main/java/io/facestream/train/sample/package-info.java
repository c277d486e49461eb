/** P identities × K faces per batch from the replay buffer, and the light augmentation applied to them. */
package io.facestream.train.sample;
