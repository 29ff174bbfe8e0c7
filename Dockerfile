# Build: docker build -t claudemock .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /claudemock ./cmd/claudemock

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /claudemock /claudemock
EXPOSE 8080
# The healthcheck is the binary itself: the image has no shell or curl.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
  CMD ["/claudemock", "healthcheck", "--url", "http://127.0.0.1:8080"]
ENTRYPOINT ["/claudemock"]
CMD ["serve", "--addr", ":8080"]
