// The simdjson On-Demand reference for `synapse-bench layouts` (docs/benchmarks.md, "Layouts"): reads a
// whole JSON-lines file with iterate_many, visits every key of every record in any order, reads every
// number of `data` (one level deep), and prints "records unreadable seconds". No reduce, one thread.
#include <simdjson.h>
#include <chrono>
#include <cstdio>
using namespace simdjson;

int main(int argc, char **argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: %s FILE\n", argv[0]); return 2; }
  auto t0 = std::chrono::steady_clock::now();
  padded_string json;
  if (padded_string::load(argv[1]).get(json)) { std::fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  ondemand::parser parser;
  ondemand::document_stream docs;
  if (parser.iterate_many(json, 1 << 20).get(docs)) return 1;
  size_t records = 0, bad = 0;
  double sum = 0;
  for (auto doc : docs) {
    ondemand::object obj;
    if (doc.get_object().get(obj)) { bad++; continue; }
    bool ok = true;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) { ok = false; break; }
      ondemand::value v = field.value();
      if (key == "timestamp") { double d; if (!v.get_double().get(d)) sum += d; }
      else if (key == "event" || key == "step" || key == "level") { std::string_view s; if (v.get_string().get(s)) ok = false; }
      else if (key == "data") {
        ondemand::object data;
        if (v.get_object().get(data)) continue;
        for (auto f : data) {
          std::string_view k;
          if (f.unescaped_key().get(k)) { ok = false; break; }
          double d;
          ondemand::value dv = f.value();
          if (!dv.get_double().get(d)) sum += d;
        }
      }
    }
    if (ok) records++; else bad++;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%zu %zu %.6f %g\n", records, bad, s, sum == 42 ? 1.0 : 0.0);
  return 0;
}
