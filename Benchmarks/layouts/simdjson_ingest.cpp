// The simdjson On-Demand reference for `synapse-bench layouts` (docs/benchmarks.md, "Layouts"): reads a
// whole JSON-lines file with iterate_many (or a line at a time, given `lines` after THREADS), visits every
// key of every record in any order, reads every number of `data` (one level deep), and prints "records
// unreadable seconds flag parse-seconds kernel". No reduce.
// `seconds` includes loading the file into one padded buffer (page faults for the whole file: a third to
// a half of the total on a 162 MB log); `parse-seconds` is the parse alone, what a reader that streams
// the file through a reused buffer (as ours does) would pay on top of its read(2) calls.
// With THREADS > 1 the file (read once) is cut at line ends into that many parts, each read in place by
// its own parser on its own thread: what two cores give simdjson.
#include <simdjson.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>
using namespace simdjson;

struct Count { size_t records = 0, bad = 0; double sum = 0; };

// With "lines", each line is parsed as a document of its own instead of the whole part with iterate_many.
static bool perLine = false;

// `bytes` lies inside the whole file's padded buffer, so what follows a part is readable: simdjson's
// padding needs no copy (`capacity`: at least length + SIMDJSON_PADDING readable bytes).
static Count readRecords(const char *bytes, size_t length, size_t capacity) {
  Count c;
  ondemand::parser parser;
  auto visit = [&](auto &doc) {
    ondemand::object obj;
    if (doc.get_object().get(obj)) { c.bad++; return; }
    bool ok = true;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) { ok = false; break; }
      ondemand::value v = field.value();
      if (key == "timestamp") { double d; if (!v.get_double().get(d)) c.sum += d; }
      else if (key == "event" || key == "step" || key == "level" || key == "file") {
        // A string, or null (the SDK writes `"step": null`).
        std::string_view s;
        bool null = false;
        if (v.get_string().get(s) && (v.is_null().get(null) || !null)) ok = false;
      }
      else if (key == "data") {
        ondemand::object data;
        if (v.get_object().get(data)) continue;
        for (auto f : data) {
          std::string_view k;
          if (f.unescaped_key().get(k)) { ok = false; break; }
          double d;
          ondemand::value dv = f.value();
          if (!dv.get_double().get(d)) c.sum += d;
        }
      }
    }
    if (ok) c.records++; else c.bad++;
  };
  if (perLine) {
    // One document per line, as a reader that can hand any line to another decoder would parse.
    const char *end = bytes + length;
    for (const char *line = bytes; line < end;) {
      const char *nl = static_cast<const char *>(std::memchr(line, '\n', end - line));
      size_t n = (nl ? nl : end) - line;
      ondemand::document doc;
      if (n > 0) {
        if (parser.iterate(line, n, n + (bytes + capacity - line - n)).get(doc)) c.bad++; else visit(doc);
      }
      line += n + 1;
    }
    return c;
  }
  ondemand::document_stream docs;
  if (parser.iterate_many(reinterpret_cast<const uint8_t *>(bytes), length, 1 << 20).get(docs)) { c.bad = 1; return c; }
  for (auto doc : docs) visit(doc);
  return c;
}

int main(int argc, char **argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: %s FILE [THREADS [lines]]\n", argv[0]); return 2; }
  int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  perLine = argc > 3 && std::strcmp(argv[3], "lines") == 0;
  if (threads < 1) threads = 1;
  auto t0 = std::chrono::steady_clock::now();
  padded_string file;
  if (padded_string::load(argv[1]).get(file)) { std::fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  auto t1 = std::chrono::steady_clock::now();
  Count total;
  if (threads == 1) {
    total = readRecords(file.data(), file.size(), file.size() + SIMDJSON_PADDING);
  } else {
    // Part boundaries just after a newline, so every part holds whole lines.
    std::vector<size_t> cuts{0};
    for (int k = 1; k < threads; k++) {
      size_t at = file.size() * k / threads;
      const void *nl = at < file.size() ? std::memchr(file.data() + at, '\n', file.size() - at) : nullptr;
      cuts.push_back(nl ? (const char *)nl - file.data() + 1 : file.size());
    }
    cuts.push_back(file.size());
    std::vector<Count> counts(threads);
    std::vector<std::thread> pool;
    for (int k = 0; k < threads; k++)
      pool.emplace_back([&, k] { counts[k] = readRecords(file.data() + cuts[k], cuts[k + 1] - cuts[k], file.size() + SIMDJSON_PADDING - cuts[k]); });
    for (auto &t : pool) t.join();
    for (auto &c : counts) { total.records += c.records; total.bad += c.bad; total.sum += c.sum; }
  }
  auto t2 = std::chrono::steady_clock::now();
  double s = std::chrono::duration<double>(t2 - t0).count();
  double parse = std::chrono::duration<double>(t2 - t1).count();
  // The On-Demand kernel this program was compiled with (the compiler's -march decides, not the CPU).
#define SJ_NAME2(x) #x
#define SJ_NAME(x) SJ_NAME2(x)
  std::printf("%zu %zu %.6f %g %.6f %s\n", total.records, total.bad, s, total.sum == 42 ? 1.0 : 0.0, parse,
              SJ_NAME(SIMDJSON_BUILTIN_IMPLEMENTATION));
  return 0;
}
