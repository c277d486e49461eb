#!/usr/bin/env bash
# Lets facestream run on a CUDA build of PyTorch that is already installed (pip's torch, an NVIDIA PyTorch image)
# instead of the natives on its class path. DJL's bridge to libtorch (libdjl_torch.so) must be compiled against
# that very PyTorch: the one in the jars is for PyTorch 2.7.1, and against another version it loads but computes
# wrong results. This script compiles it from a DJL source tree at the engine's version, puts it where DJL looks,
# and prints the environment that makes the launcher use that PyTorch.
#
#   docker/gpu/pytorch-jni.sh DJL_SOURCE [TORCH_DIR]
#
# DJL_SOURCE: a checkout of DJL at the tag of the pytorch-engine in pom.xml (git clone --branch v0.36.0 ...).
# TORCH_DIR:  the torch package folder (default: python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))').
# Needs a C++17 compiler, a JDK (javac, jni.h) and, for CUDA, the CUDA headers (/usr/local/cuda/include).
# Then: eval "$(docker/gpu/pytorch-jni.sh ...)" and run ./facestream as usual; 'bench engine --versus-cpu' checks it.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
src="${1:?usage: pytorch-jni.sh DJL_SOURCE [TORCH_DIR]}"
torch="${2:-$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')}"
native="$src/engines/pytorch/pytorch-native/src/main/native"
[ -d "$native" ] || { echo "$src has no engines/pytorch/pytorch-native: give the root of a DJL checkout" >&2; exit 2; }
[ -f "$torch/lib/libtorch.so" ] || { echo "$torch/lib/libtorch.so not found: give the torch package folder" >&2; exit 2; }
djl="$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$here/pom.xml")"
version="$(sed -n 's/^__version__ = .\([0-9.]*\).*/\1/p' "$torch/version.py")"
cuda="$(sed -n "s/^cuda[^=]*= '\([0-9]*\)\.\([0-9]*\).*/\1\2/p" "$torch/version.py")"
flavor="${cuda:+cu$cuda}"; flavor="${flavor:-cpu}"
cache="${DJL_CACHE_DIR:-$HOME/.djl.ai}"
target="$cache/pytorch/$version-$flavor-linux-x86_64/$djl-libdjl_torch.so"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
api="$(ls "$HOME/.m2/repository/ai/djl/api/$djl/api-$djl.jar" 2>/dev/null || true)"
[ -n "$api" ] || { echo "ai.djl:api:$djl is not in ~/.m2: build facestream once first (./mvnw -DskipTests package)" >&2; exit 2; }
echo "compiling DJL $djl's JNI for PyTorch $version ($flavor) in $torch" >&2
javac -h "$work/include" -d "$work/classes" -cp "$api" -sourcepath "$src/engines/pytorch/pytorch-engine/src/main/java" \
  "$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java" >&2
defs=""; libs="-ltorch -ltorch_cpu -lc10"; inc="-I$torch/include -I$torch/include/torch/csrc/api/include"
if [ "$flavor" != cpu ]; then
  defs="-DUSE_CUDA"; libs="$libs -ltorch_cuda -lc10_cuda"
  for d in /usr/local/cuda/include "$torch"/../nvidia/*/include; do [ -d "$d" ] && inc="$inc -I$d"; done
fi
inc="$inc -I$work/include -I$src/api/src/main/native -I$java_home/include -I$java_home/include/linux"
ls "$native"/*.cc | xargs -P "$(nproc)" -I{} sh -c \
  "g++ -std=c++17 -O2 -fPIC -w $defs $inc -c {} -o $work/\$(basename {} .cc).o"
mkdir -p "$(dirname "$target")"
g++ -shared -o "$target" "$work"/*.o -L"$torch/lib" $libs -Wl,-rpath,"$torch/lib"
echo "installed $target" >&2
# DJL loads every library of the folder it is pointed at: only libtorch's own, here.
exclude=""
for f in "$torch"/lib/*.so*; do
  case "$(basename "$f")" in
    libc10.so|libc10_cuda.so|libtorch.so|libtorch_cpu.so|libtorch_cuda.so|libcaffe2_nvrtc.so|libgomp*) ;;
    *) exclude="$exclude,$(basename "$f")" ;;
  esac
done
paths="$torch/lib"
for d in "$torch"/../nvidia/*/lib; do [ -d "$d" ] && paths="$paths:$(cd "$d" && pwd)"; done
# DJL counts GPUs through libcudart.so by that name; pip's CUDA runtime has only the versioned one.
cudart="$(ls "$torch"/../nvidia/*/lib/libcudart.so.* 2>/dev/null | head -1 || true)"
if [ -n "$cudart" ]; then
  mkdir -p "$(dirname "$target")/cudart" && ln -sf "$(readlink -f "$cudart")" "$(dirname "$target")/cudart/libcudart.so"
  paths="$paths:$(dirname "$target")/cudart"
fi
echo "export PYTORCH_LIBRARY_PATH='$torch/lib' PYTORCH_VERSION='$version' PYTORCH_FLAVOR='$flavor'"
echo "export PYTORCH_LIBRARY_EXCLUSION='${exclude#,}' DJL_CACHE_DIR='$cache'"
echo "export LD_LIBRARY_PATH='$paths'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
