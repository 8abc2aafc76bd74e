# kit's container image: the static (musl) release binary on distroless/static, which adds
# only CA certificates, /etc/passwd with a nonroot user, tzdata and /tmp to an empty image.
# The release workflow (.github/workflows/release.yml) builds it for linux/amd64 and
# linux/arm64 from a context holding the release binaries as linux/<arch>/kit:
#
#   mkdir -p context/linux/amd64 && tar -xzf kit-x86_64-unknown-linux-musl.tar.gz -C context/linux/amd64
#   docker buildx build --platform linux/amd64 -f Dockerfile context
#
# Run: docker run --rm -v "$PWD:/work" ghcr.io/kit-k8s/kit lint overlays/prod
# There is no shell and no git in the image: remote git bases need kit from another install.
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETPLATFORM
COPY --chmod=0755 ${TARGETPLATFORM}/kit /usr/local/bin/kit
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/kit"]
CMD ["--help"]
