#!/usr/bin/env bash
# models.sh - provision the three dlib model files go-face's NewRecognizer
# loads, into ${KYC_MODELS_DIR:-<repo>/models}. No download site is needed.
#
#   dlib_face_recognition_resnet_model_v1.dat
#       official file from $KYC_DLIB_MODELS_DIR if set, else converted from the
#       npm package @vladmandic/face-api@1.7.15 (MIT) by scripts/dlibconv.
#   shape_predictor_5_face_landmarks.dat
#       official 5-point file from $KYC_DLIB_MODELS_DIR if set, else Debian
#       libdlib-data's 68-point predictor under the 5-point name (go-face
#       aligns with either). The 68-point model is trained on iBUG 300-W:
#       non-commercial use only. See docs/faces.md.
#   mmod_human_face_detector.dat
#       from $KYC_DLIB_MODELS_DIR if set, else ../shared/models (sha256 checked).
#
# Idempotent: files already in place with the expected content are left alone.
# Needs: bash, coreutils, tar, npm, g++, pkg-config and Debian libdlib-dev,
# libdlib-data, libblas-dev, liblapack-dev.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODELS="${KYC_MODELS_DIR:-$ROOT/models}"
CACHE="$ROOT/.cache"
SHARED_MODELS="${KYC_SHARED_MODELS_DIR:-$ROOT/../shared/models}"
OFFICIAL="${KYC_DLIB_MODELS_DIR:-}"

REC=dlib_face_recognition_resnet_model_v1.dat
SP5=shape_predictor_5_face_landmarks.dat
CNN=mmod_human_face_detector.dat

FACEAPI_PKG="@vladmandic/face-api@1.7.15"
FACEAPI_TGZ="vladmandic-face-api-1.7.15.tgz"
# sha256 of the npm tarball (npm also checks its sha512 integrity on download).
FACEAPI_TGZ_SHA256=0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031
# sha256 of the converted model as written by Debian bookworm's dlib 19.24.
# Another dlib version may serialise differently: then a warning is printed.
CONVERTED_SHA256=cdb1d47b961fe310ef1f3aa2974c5f65d29c079346760f6b6785c7e405f7266a
# Debian libdlib-data 19.24+dfsg-1: /usr/share/dlib/shape_predictor_68_face_landmarks.dat
DEBIAN_SP68=/usr/share/dlib/shape_predictor_68_face_landmarks.dat
DEBIAN_SP68_SHA256=fbdc2cb80eb9aa7a758672cbfdda32ba6300efe9b6e6c7a299ff7e736b11b92f
# dlib-models mmod_human_face_detector.dat (public domain / CC0), see ../shared/README.md.
CNN_SHA256=4cb19393e2fbaf2b1609a9319ad5386618c886a6234ec1b971f3e87c85d87fe6
# The official shape_predictor_5_face_landmarks.dat and
# dlib_face_recognition_resnet_model_v1.dat have no sha256 pinned here: we could
# verify the official values offline. Their hashes are printed on copy: compare
# them with the ones you obtained with the files.

say() { printf 'models: %s\n' "$*"; }
die() { printf 'models: error: %s\n' "$*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# install_file SRC DEST: atomically copy SRC to DEST unless identical already.
install_file() {
	local src=$1 dest=$2
	if [[ -f $dest ]] && cmp -s "$src" "$dest"; then
		say "$(basename "$dest"): up to date ($(sha "$dest"))"
		return
	fi
	cp "$src" "$dest.tmp.$$"
	chmod 0644 "$dest.tmp.$$"
	mv -f "$dest.tmp.$$" "$dest"
	say "$(basename "$dest"): installed from $src ($(sha "$dest"))"
}

mkdir -p "$MODELS"
say "target directory $MODELS"

# --- 1. official files, when supplied -------------------------------------------
have_official() { [[ -n $OFFICIAL && -f $OFFICIAL/$1 ]]; }
if [[ -n $OFFICIAL ]]; then
	[[ -d $OFFICIAL ]] || die "KYC_DLIB_MODELS_DIR=$OFFICIAL is not a directory"
	say "using official dlib-models files from $OFFICIAL where present"
fi

# --- 2. the CNN face detector ------------------------------------------------------
if have_official "$CNN"; then
	src="$OFFICIAL/$CNN"
else
	src="$SHARED_MODELS/$CNN"
	[[ -f $src ]] || die "$src not found (set KYC_DLIB_MODELS_DIR or KYC_SHARED_MODELS_DIR)"
fi
[[ $(sha "$src") == "$CNN_SHA256" ]] || die "$src: sha256 $(sha "$src") != $CNN_SHA256"
install_file "$src" "$MODELS/$CNN"

# --- 3. the shape predictor ---------------------------------------------------------
if have_official "$SP5"; then
	install_file "$OFFICIAL/$SP5" "$MODELS/$SP5"
else
	[[ -f $DEBIAN_SP68 ]] || die "$DEBIAN_SP68 missing: apt-get install libdlib-data"
	got=$(sha "$DEBIAN_SP68")
	[[ $got == "$DEBIAN_SP68_SHA256" ]] || say "warning: $DEBIAN_SP68 sha256 $got differs from the pinned Debian file"
	install_file "$DEBIAN_SP68" "$MODELS/$SP5"
	say "$SP5 is dlib's 68-point predictor (iBUG 300-W, non-commercial use only); supply the official file via KYC_DLIB_MODELS_DIR for production"
fi

# --- 4. the face recognition ResNet -------------------------------------------------
if have_official "$REC"; then
	install_file "$OFFICIAL/$REC" "$MODELS/$REC"
elif [[ -f $MODELS/$REC && $(sha "$MODELS/$REC") == "$CONVERTED_SHA256" ]]; then
	say "$REC: up to date (converted, $CONVERTED_SHA256)"
else
	mkdir -p "$CACHE/npm" "$CACHE/dlibconv"
	tgz="$CACHE/npm/$FACEAPI_TGZ"
	if [[ ! -f $tgz || $(sha "$tgz") != "$FACEAPI_TGZ_SHA256" ]]; then
		say "fetching $FACEAPI_PKG from the npm registry"
		rm -f "$tgz"
		(cd "$CACHE/npm" && npm pack --silent "$FACEAPI_PKG" >/dev/null)
	fi
	[[ $(sha "$tgz") == "$FACEAPI_TGZ_SHA256" ]] || die "$tgz: sha256 $(sha "$tgz") != $FACEAPI_TGZ_SHA256"

	work="$CACHE/dlibconv/faceapi"
	rm -rf "$work"
	mkdir -p "$work"
	tar -xzf "$tgz" -C "$work" \
		package/model/face_recognition_model.bin \
		package/model/face_recognition_model-weights_manifest.json

	conv="$CACHE/dlibconv/dlibconv"
	srcfile="$ROOT/scripts/dlibconv/dlibconv.cc"
	netdir="$ROOT/worker/internal/face/internal/dlibref" # anet.h, the network type
	if [[ ! -x $conv || $srcfile -nt $conv || $netdir/anet.h -nt $conv ]]; then
		say "building the converter (g++ against Debian dlib)"
		if pkg-config --exists dlib-1 2>/dev/null; then
			flags=$(pkg-config --cflags --libs dlib-1)
		else
			flags="-ldlib -lcblas -llapack"
		fi
		# shellcheck disable=SC2086
		g++ -std=c++17 -O2 -DNDEBUG -I"$netdir" -o "$conv.tmp" "$srcfile" $flags
		mv -f "$conv.tmp" "$conv"
	fi

	m="$work/package/model"
	"$conv" "$m/face_recognition_model-weights_manifest.json" "$m/face_recognition_model.bin" "$work/a.dat" >/dev/null
	"$conv" "$m/face_recognition_model-weights_manifest.json" "$m/face_recognition_model.bin" "$work/b.dat" >/dev/null
	cmp -s "$work/a.dat" "$work/b.dat" || die "converter output differs between two runs"
	got=$(sha "$work/a.dat")
	if [[ $got != "$CONVERTED_SHA256" ]]; then
		say "warning: converted $REC sha256 $got differs from the pinned $CONVERTED_SHA256 (other dlib version?); run the face tests"
	fi
	install_file "$work/a.dat" "$MODELS/$REC"
	say "$REC converted from $FACEAPI_PKG (MIT), stable sha256 $got"
	rm -rf "$work"
fi

say "done"
