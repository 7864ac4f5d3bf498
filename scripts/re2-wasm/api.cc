// A tiny C API over C++ RE2 for the WebAssembly build (scripts/build-re2-wasm.sh); the TypeScript side is
// src/lib/re2/re2.ts. Patterns are compiled exactly as Envoy's google_re2 engine does
// (envoyproxy/envoy source/common/common/regex.cc, CompiledGoogleReMatcher: `RE2(regex, RE2::Quiet)`, then
// `ProgramSize()` against re2.max_program_size.error_level, then `RE2::FullMatch`).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

#include "re2/re2.h"
#include "re2/set.h"

#define EXPORT(name) __attribute__((export_name(#name)))

extern "C" {

EXPORT(re2_malloc) void* re2_malloc(size_t n) { return malloc(n == 0 ? 1 : n); }
EXPORT(re2_free) void re2_free(void* p) { free(p); }

// Compiles `pattern` (UTF-8, `len` bytes). Always returns a handle; ask it whether it compiled.
EXPORT(re2_compile) re2::RE2* re2_compile(const char* pattern, size_t len) {
  return new re2::RE2(re2::StringPiece(pattern, len), re2::RE2::Quiet);
}
EXPORT(re2_delete) void re2_delete(re2::RE2* re) { delete re; }
EXPORT(re2_ok) int re2_ok(const re2::RE2* re) { return re->ok() ? 1 : 0; }
// RE2::ErrorCode (0 when ok).
EXPORT(re2_error_code) int re2_error_code(const re2::RE2* re) { return static_cast<int>(re->error_code()); }
// The NUL-terminated error text (RE2::error()), owned by the handle.
EXPORT(re2_error) const char* re2_error(const re2::RE2* re) { return re->error().c_str(); }
EXPORT(re2_program_size) int re2_program_size(const re2::RE2* re) { return re->ProgramSize(); }
EXPORT(re2_full_match) int re2_full_match(const re2::RE2* re, const char* text, size_t len) {
  return re2::RE2::FullMatch(re2::StringPiece(text, len), *re) ? 1 : 0;
}

// A set of patterns matched in one pass, each anchored at both ends (a full match), for the route index.
EXPORT(re2_set_new) re2::RE2::Set* re2_set_new() {
  return new re2::RE2::Set(re2::RE2::Quiet, re2::RE2::ANCHOR_BOTH);
}
EXPORT(re2_set_delete) void re2_set_delete(re2::RE2::Set* set) { delete set; }
// The pattern's index in the set, or -1 when it does not parse.
EXPORT(re2_set_add) int re2_set_add(re2::RE2::Set* set, const char* pattern, size_t len) {
  return set->Add(re2::StringPiece(pattern, len), nullptr);
}
EXPORT(re2_set_compile) int re2_set_compile(re2::RE2::Set* set) { return set->Compile() ? 1 : 0; }
// Writes the indices of the fully matching patterns to `out` (room for `cap`), returns how many matched,
// or -1 when the DFA ran out of memory (the caller then matches one pattern at a time).
EXPORT(re2_set_match) int re2_set_match(const re2::RE2::Set* set, const char* text, size_t len, int* out, int cap) {
  std::vector<int> v;
  re2::RE2::Set::ErrorInfo info;
  if (!set->Match(re2::StringPiece(text, len), &v, &info)) {
    return info.kind == re2::RE2::Set::kNoError ? 0 : -1;
  }
  int n = static_cast<int>(v.size());
  for (int i = 0; i < n && i < cap; i++) out[i] = v[i];
  return n;
}

}  // extern "C"
