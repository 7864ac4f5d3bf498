// Differential-test harness (test/re2/differential.test.ts): compiles patterns with the system's C++ RE2 the way
// Envoy does (RE2(pattern, RE2::Quiet), ProgramSize(), RE2::FullMatch) and prints what it saw.
// stdin, one record per line, strings hex-encoded UTF-8:  "P <hex>" starts a pattern, "I <hex>" is an input for it.
// stdout, one line per record:  "ok <ProgramSize>" | "err <ErrorCode> <hex of error()>"  and  "1" | "0" per input.
#include <re2/re2.h>

#include <iostream>
#include <memory>
#include <string>

static std::string unhex(const std::string& s) {
  std::string out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<char>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return out;
}

static std::string hex(const std::string& s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

int main() {
  std::ios::sync_with_stdio(false);
  std::unique_ptr<re2::RE2> re;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.size() < 2) continue;
    std::string arg = unhex(line.substr(2));
    if (line[0] == 'P') {
      re.reset(new re2::RE2(arg, re2::RE2::Quiet));
      if (re->ok()) std::cout << "ok " << re->ProgramSize() << "\n";
      else std::cout << "err " << static_cast<int>(re->error_code()) << " " << hex(re->error()) << "\n";
    } else if (line[0] == 'I') {
      std::cout << (re && re->ok() && re2::RE2::FullMatch(arg, *re) ? "1" : "0") << "\n";
    }
  }
  return 0;
}
