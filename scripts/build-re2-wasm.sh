#!/usr/bin/env bash
# Rebuilds src/lib/re2/re2.wasm: Google's C++ RE2 compiled to WebAssembly (wasm32-wasi, no threads) with the
# C API in scripts/re2-wasm/api.cc. See docs/re2.md for why this RE2 version.
#
#   scripts/build-re2-wasm.sh
#
# Needs (Debian): clang lld wasi-libc libc++-dev-wasm32 libclang-rt-dev-wasm32, and npm (for the sources).
# RE2's sources come from the npm `re2` package, which vendors them (vendor/re2, vendor/util):
#   re2@1.18.1 vendors RE2 2023-03-01: the same regexp semantics as 2022-12-01, the release Envoy pinned
#     (bazel/repository_locations.bzl) from January to late July 2023, so in the Envoy commit that
#     aeraki-mesh/meta-protocol-proxy 1.4.1/1.4.2 build on (5b97cffe, 2023-07-13). Between the two tags only
#     bitmap256.h/.cc (code moved), util/mutex.h (the RE2_NO_THREADS lock counter used here) and comments changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

out=src/lib/re2/re2.wasm
npm_version=1.18.1

for tool in clang++ wasm-ld npm; do
  command -v "$tool" >/dev/null || { echo "$tool not found (apt-get install clang lld wasi-libc libc++-dev-wasm32 libclang-rt-dev-wasm32)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # $1 npm version -> $work/$1/package
  mkdir -p "$work/$1"
  (cd "$work/$1" && npm pack --silent "re2@$1" >/dev/null && tar xzf re2-"$1".tgz)
}
fetch "$npm_version"
src=$work/$npm_version/package/vendor

# The one place where RE2's results depend on the pointer size: Compiler::Setup (re2/compile.cc) budgets the
# program at (max_mem - sizeof(Prog)) / sizeof(Prog::Inst) instructions, and Prog is 432 bytes on the 64-bit
# hosts Envoy runs on (x86-64, aarch64) but 384 on wasm32, which would let 6 more instructions through before
# "pattern too large - compile failed". Use the 64-bit size there, so the limit is the proxy's.
n=$(grep -c 'sizeof(Prog))' "$src/re2/compile.cc")
[[ "$n" == 2 ]] || { echo "expected sizeof(Prog) twice in Compiler::Setup, found $n" >&2; exit 1; }
sed -i 's/sizeof(Prog))/RE2_LP64_SIZEOF_PROG)/' "$src/re2/compile.cc"

files=(re2/bitstate.cc re2/compile.cc re2/dfa.cc re2/nfa.cc re2/onepass.cc re2/parse.cc re2/perl_groups.cc
  re2/prog.cc re2/re2.cc re2/regexp.cc re2/set.cc re2/simplify.cc re2/stringpiece.cc re2/tostring.cc
  re2/unicode_casefold.cc re2/unicode_groups.cc re2/bitmap256.cc util/rune.cc util/strutil.cc)

# __FILE__ (in RE2's LOG lines) without the temporary directory, so rebuilds are byte-identical.
flags=(--target=wasm32-wasi -O2 -std=c++17 -ffile-prefix-map="$src"=re2-vendor -fno-exceptions -DRE2_NO_THREADS -DRE2_LP64_SIZEOF_PROG=size_t{432} -DNDEBUG -I"$src" -Wno-deprecated-declarations)
objs=()
for f in "${files[@]}" api.cc; do
  if [[ "$f" == api.cc ]]; then in=$root/scripts/re2-wasm/api.cc; else in=$src/$f; fi
  o=$work/obj/${f//\//_}.o
  mkdir -p "$work/obj"
  clang++ "${flags[@]}" -c "$in" -o "$o"
  objs+=("$o")
done
mkdir -p "$(dirname "$out")"
clang++ --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--strip-all -Wl,--gc-sections \
  -Wl,-z,stack-size=1048576 "${objs[@]}" -o "$out"
echo "built $out ($(wc -c <"$out") bytes) from re2@$npm_version (npm) vendored sources" >&2
