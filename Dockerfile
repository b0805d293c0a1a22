# The image the SageMaker processing job runs (airline-analytics sagemaker-job --image URI):
# our binary, DuckDB's libduckdb.so and XGBoost from Debian, nothing else. The job's container
# runs `airline-analytics train && airline-analytics score` on the S3 lake named by AIRLINE_LAKE.
#
#   docker build -t airline-analytics:0.1.0 .
#   docker tag airline-analytics:0.1.0 <account>.dkr.ecr.<region>.amazonaws.com/airline-analytics:0.1.0
#   docker push <account>.dkr.ecr.<region>.amazonaws.com/airline-analytics:0.1.0
#
# Not built in this repository's CI: the build machine has no Docker and no registry but the
# package ones (docs/scale-out.md says so).

FROM debian:12 AS build
WORKDIR /src
COPY deps/ deps/
COPY scripts/ scripts/
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates npm \
    && grep -v '^#' deps/apt-packages.txt | grep -v -E '^(chromium|openjdk|clang-format)' \
       | cut -d= -f1 | xargs apt-get install -y --no-install-recommends \
    && rm -rf /var/lib/apt/lists/*
RUN cd deps/duckdb && npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN cmake --preset release -DAA_BUILD_BENCH=OFF -DAA_BUILD_TESTS=OFF \
    && cmake --build --preset release --target airline-analytics

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      ca-certificates libxgboost0 libgomp1 libfmt9 libssl3 zlib1g libbrotli1 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/release/airline-analytics /usr/local/bin/airline-analytics
COPY --from=build /src/deps/duckdb/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so /usr/local/lib/
RUN ldconfig && airline-analytics --help > /dev/null
ENV AIRLINE_PROGRESS=never
WORKDIR /opt/ml/processing
ENTRYPOINT ["airline-analytics"]
