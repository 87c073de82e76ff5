#!/bin/sh
# deps.sh build|test: installs the Debian packages laketop needs that are
# missing, and only those (apt-get; sudo when not root). apt's output goes
# to build/deps.log (LAKETOP_DEPS_LOG), its end printed only on a failure.
set -eu
build="gcc make pkg-config libncurses-dev libjson-c-dev libinih-dev libcurl4-openssl-dev libssl-dev libexpat1-dev libavro-dev libsnappy-dev libzstd-dev zlib1g-dev"
# groff-base and man-db render the man page, zsh runs its completion, file
# and binutils (readelf) tell a stripped binary (test_install, test_completion)
# python3-avro, -snappy and -zstandard: the independent writers of the
# Iceberg and Delta fixtures (manifests, checkpoints)
test="$build python3-avro python3-snappy python3-zstandard libcmocka-dev tmux python3 python3-botocore awscli rclone openssl clang-format clang libclang-rt-14-dev locales groff-base man-db zsh file binutils"
case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
missing=""
for pkg in $want; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
# Node.js and npm (for the s3rver cross-check) may come from elsewhere than
# Debian: only when the commands are missing are Debian's packages wanted.
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "laketop needs:$missing (no apt-get here: install them by hand)" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "laketop needs:$missing; run as root or install sudo" >&2; exit 1
    fi
fi
# apt's lines go to a log, shown (its end) only when something fails
log=${LAKETOP_DEPS_LOG:-$(cd "$(dirname "$0")/.." && pwd)/build/deps.log}
mkdir -p "$(dirname "$log")"
echo "installing:$missing (apt's output: $log)" >&2
if ! { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
    echo "laketop: installing$missing failed; the end of $log:" >&2
    tail -n 30 "$log" | sed 's/^/  | /' >&2
    exit 1
fi
