#!/usr/bin/env bash
# kubeha lab: containerd 2.x, runc and the CNI plugins as release archives in upstream's layout, for
# containerRuntimeInstall: archive in the lab (which has no internet to fetch upstream's).
# Repacked from Debian forky's packages: each .deb is pinned by file name and SHA-256 below, and
# checked against forky's Packages index too while the suite still lists it (the index against
# InRelease, InRelease against Debian's archive keyring when gpgv has it). Output, in OUT:
#   containerd-2.1.9-linux-amd64.tar.gz   bin/containerd, bin/containerd-shim-runc-v2, bin/ctr
#   runc.amd64                            the runc binary
#   cni-plugins-linux-amd64-v1.9.1.tgz    ./bridge, ./host-local, ... (every plugin)
#   SHA256SUMS                            of the three
# Repacking is deterministic (sorted names, mtime 0, root owner, gzip -n).
# Usage: runtime-archives.sh OUT [MIRROR]   (MIRROR: a Debian mirror, default http://deb.debian.org/debian)
set -Eeuo pipefail

readonly OUT=${1:?usage: runtime-archives.sh OUT [MIRROR]}
readonly MIRROR=${2:-http://deb.debian.org/debian}
readonly SUITE=forky
readonly KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# package | version | pool file | sha256 (from forky's main/binary-amd64/Packages, 2026-12-05)
readonly DEBS=(
  "containerd|2.1.9|pool/main/c/containerd/containerd_2.1.9+ds1-5_amd64.deb|2dda86ce7033fd612fc50e136679d8174ccad680eb29cd4611e0d2a1b84cf591"
  "runc|1.3.6|pool/main/r/runc/runc_1.3.6+ds1-1_amd64.deb|8e95d7bdfd22242ae4d48d58e3c277ba2b69dffc4ed8e573b837e6e93925d911"
  "containernetworking-plugins|1.9.1|pool/main/g/golang-github-containernetworking-plugins/containernetworking-plugins_1.9.1+ds1-1_amd64.deb|12857dd3136d61e00bffcc2c8823d14df586e94406098326e02846cfa46a058e"
)

say() { printf '[runtime-archives] %s\n' "$*" >&2; }
die() { printf '[runtime-archives] error: %s\n' "$*" >&2; exit 1; }

[[ ! -e $OUT ]] || die "$OUT already exists"
WORK=$(mktemp -d /tmp/kubeha-runtime-archives.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/out"

fetch() { curl -fsS --retry 3 -o "$2" "$MIRROR/$1" || die "cannot download $MIRROR/$1"; }

# the Packages index's SHA-256 of each pool file it lists, as "FILE SHA256" lines
index_sums() {
  local index=main/binary-amd64/Packages.xz expected
  fetch "dists/$SUITE/InRelease" "$WORK/InRelease"
  if command -v gpgv >/dev/null && [[ -f $KEYRING ]]; then
    gpgv --keyring "$KEYRING" "$WORK/InRelease" 2>"$WORK/gpgv.log" \
      || die "dists/$SUITE/InRelease: bad signature: $(cat "$WORK/gpgv.log")"
  else
    say "gpgv or $KEYRING missing: InRelease's signature is not checked (the .debs' pinned SHA-256 still are)"
  fi
  expected=$(awk -v f="$index" '/^SHA256:/ {s=1; next} /^[^ ]/ {s=0} s && $3 == f {print $1}' "$WORK/InRelease")
  [[ $expected =~ ^[0-9a-f]{64}$ ]] || die "InRelease lists no SHA-256 for $index"
  fetch "dists/$SUITE/$index" "$WORK/Packages.xz"
  [[ $(sha256sum <"$WORK/Packages.xz" | cut -d' ' -f1) == "$expected" ]] || die "$index does not match InRelease"
  xz -dc "$WORK/Packages.xz" | awk '/^Filename:/ {f=$2} /^SHA256:/ {print f, $2}'
}

unpack() {
  local name version file sha listed
  index_sums >"$WORK/index" || die "reading forky's Packages index failed"
  for entry in "${DEBS[@]}"; do
    IFS='|' read -r name version file sha <<<"$entry"
    listed=$(awk -v f="$file" '$1 == f {print $2}' "$WORK/index")
    if [[ -n $listed && $listed != "$sha" ]]; then
      die "$file: forky's Packages index says $listed, this script pins $sha"
    fi
    [[ -n $listed ]] || say "$file: no longer in forky's index; checked against the pinned SHA-256 only"
    fetch "$file" "$WORK/$name.deb"
    [[ $(sha256sum <"$WORK/$name.deb" | cut -d' ' -f1) == "$sha" ]] || die "$file: SHA-256 is not $sha"
    mkdir -p "$WORK/$name"
    dpkg-deb -x "$WORK/$name.deb" "$WORK/$name"
  done
}

# tar.gz of DIR's entries (relative names as given), reproducible
pack() {
  local archive=$1 dir=$2
  shift 2
  tar -C "$dir" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "$@" | gzip -n -9 >"$archive"
}

unpack
mkdir -p "$WORK/containerd-layout/bin" "$WORK/cni-layout"
for b in containerd containerd-shim-runc-v2 ctr; do
  install -m 0755 "$WORK/containerd/usr/bin/$b" "$WORK/containerd-layout/bin/$b"
done
pack "$WORK/out/containerd-2.1.9-linux-amd64.tar.gz" "$WORK/containerd-layout" bin/containerd bin/containerd-shim-runc-v2 bin/ctr
install -m 0755 "$WORK/runc/usr/sbin/runc" "$WORK/out/runc.amd64"
plugins=()
for p in "$WORK/containernetworking-plugins/usr/lib/cni/"*; do
  install -m 0755 "$p" "$WORK/cni-layout/${p##*/}"
  plugins+=("./${p##*/}")
done
(( ${#plugins[@]} >= 10 )) || die "the CNI plugins package holds ${#plugins[@]} plugins"
pack "$WORK/out/cni-plugins-linux-amd64-v1.9.1.tgz" "$WORK/cni-layout" "${plugins[@]}"
(cd "$WORK/out" && sha256sum containerd-2.1.9-linux-amd64.tar.gz runc.amd64 cni-plugins-linux-amd64-v1.9.1.tgz >SHA256SUMS)
mkdir -p "$(dirname "$OUT")"
rm -rf "$OUT.partial"
cp -a "$WORK/out" "$OUT.partial"
mv "$OUT.partial" "$OUT"
say "repacked containerd 2.1.9, runc 1.3.6 and CNI plugins 1.9.1 into $OUT"
