#!/usr/bin/env bash
# Builds the two images of deploy/Containerfile (app, web) with buildah and starts the app
# image against this machine's PostgreSQL and Redis, then asks it /healthz and /readyz.
#
#   bash bench/build_images.sh            # bases from docker.io, as a user's machine has them
#   LOCAL_BASES=1 bash bench/build_images.sh
#
# LOCAL_BASES=1 is for machines that reach Debian's and the language registries but no image
# registry (like the project's own): the bases are made with debootstrap from Debian bookworm
# (python3 for the app, nginx-light for the web image) and imported as local images. The
# chroot isolation works where the container runtime cannot set resource limits (nested
# sandboxes). Prints the time each step took and the images' sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${WORK:-/var/tmp/smarterchat-images}
PUBLIC_URL=${PUBLIC_URL:-http://localhost:8080}
DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/12}
PORT=${PORT:-18400}
build=(buildah bud --isolation chroot --layers --format docker -f deploy/Containerfile)
step() { printf '\n=== %s  (%ss)\n' "$1" "$SECONDS"; }
command -v buildah >/dev/null || { echo "buildah is not installed (apt-get install buildah)" >&2; exit 2; }

bases=()
if [ -n "${LOCAL_BASES:-}" ]; then
    step "local bases from Debian bookworm (debootstrap)"
    mkdir -p "$WORK"
    if ! buildah images -q localhost/smarterchat-rootfs:bookworm | grep -q .; then
        [ -d "$WORK/rootfs/usr" ] || debootstrap --variant=minbase \
            --include=python3,python3-venv,ca-certificates bookworm "$WORK/rootfs" \
            http://deb.debian.org/debian >"$WORK/debootstrap.log"
        tar -C "$WORK/rootfs" -c . | podman import - localhost/smarterchat-rootfs:bookworm >/dev/null
    fi
    # Behind a TLS-inspecting proxy the bases must trust its authority, as this machine does
    # (the CA files in EXTRA_CA_DIR), or pip, npm and bun cannot reach their registries.
    mkdir -p "$WORK/ctx/cas"
    cp "${EXTRA_CA_DIR:-/usr/local/share/ca-certificates}"/*.crt "$WORK/ctx/cas/" 2>/dev/null || true
    bundle=/etc/ssl/certs/ca-certificates.crt
    printf '%s\n' 'FROM localhost/smarterchat-rootfs:bookworm' \
        'COPY cas/ /usr/local/share/ca-certificates/' 'RUN update-ca-certificates' \
        "ENV SSL_CERT_FILE=$bundle PIP_CERT=$bundle REQUESTS_CA_BUNDLE=$bundle NODE_EXTRA_CA_CERTS=$bundle" \
        >"$WORK/ctx/python.Containerfile"
    buildah bud --isolation chroot --layers -q -f "$WORK/ctx/python.Containerfile" \
        -t localhost/smarterchat-base-python:bookworm "$WORK/ctx" >/dev/null
    printf '%s\n' 'FROM localhost/smarterchat-base-python:bookworm' \
        'RUN apt-get update && apt-get install -y --no-install-recommends nginx-light && rm -rf /var/lib/apt/lists/*' \
        'CMD ["nginx", "-g", "daemon off;"]' >"$WORK/nginx.Containerfile"
    buildah bud --isolation chroot --layers -q -f "$WORK/nginx.Containerfile" \
        -t localhost/smarterchat-base-nginx:bookworm "$WORK" >/dev/null
    bases=(--build-arg APP_BASE=localhost/smarterchat-base-python:bookworm
           --build-arg WEB_BASE=localhost/smarterchat-base-nginx:bookworm)
fi

step "app image (manage.py setup, then the pages built for $PUBLIC_URL)"
"${build[@]}" "${bases[@]}" --target app --build-arg PUBLIC_URL="$PUBLIC_URL" \
    -t localhost/smarterchat-app:latest . >"${WORK:-/tmp}/app-build.log" 2>&1 \
    || { tail -40 "${WORK:-/tmp}/app-build.log"; exit 1; }
step "web image (nginx with deploy/nginx and the built pages)"
"${build[@]}" "${bases[@]}" --target web --build-arg PUBLIC_URL="$PUBLIC_URL" \
    -t localhost/smarterchat-web:latest . >"${WORK:-/tmp}/web-build.log" 2>&1 \
    || { tail -40 "${WORK:-/tmp}/web-build.log"; exit 1; }
buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' | grep smarterchat-

step "the app image runs: migrate, then the app on :$PORT against this machine's services"
container=$(buildah from localhost/smarterchat-app:latest)
stop() {
    kill "${app_pid:-}" 2>/dev/null && wait "${app_pid:-}" 2>/dev/null || true
    buildah rm "$container" >/dev/null 2>&1 || true
}
trap stop EXIT
secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
key=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
envs=(--env SMARTERCHAT_DATABASE_URL="$DATABASE_URL" --env SMARTERCHAT_REDIS_URL="$REDIS_URL"
      --env SMARTERCHAT_SECRET_KEY="$secret" --env SMARTERCHAT_ENCRYPTION_KEY="$key"
      --env SMARTERCHAT_PORT="$PORT")
buildah run --isolation chroot --network host "${envs[@]}" "$container" python3 manage.py migrate
buildah run --isolation chroot --network host "${envs[@]}" "$container" python3 manage.py app &
app_pid=$!
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 1
done
printf 'healthz: %s\nreadyz: %s\n' "$(curl -sS "http://127.0.0.1:$PORT/healthz")" \
    "$(curl -sS "http://127.0.0.1:$PORT/readyz")"
step "done"
