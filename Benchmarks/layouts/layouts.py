"""Writes the same records in other producers' layouts, for `synapse-bench layouts` (docs/benchmarks.md).

    python layouts.py WRITER_LOG OUT_DIR

Reads our writer's log and writes, record for record:
  sdk.jsonl       synapse-sdk's LogEntry.to_dict() through json.dumps with its default separators (the real
                  classes when synapse_sdk imports; else a dict in to_dict()'s key order, said on stderr)
  reordered.jsonl our top-level layout with every object's keys (data's and deeper) in reverse order
  seq.jsonl       our layout with an extra leading key "seq": N
  sdkfloat.jsonl  sdk.jsonl with every non-zero float one double up (math.nextafter): 16-17 significant digits, as
                  Python writes time.time() and a tensor's .item(); the generator's floats have at most 16 digits
  ourfloat.jsonl  our layout with sdkfloat.jsonl's values: the same records as that file, so the two tell the
                  layout's cost from the longer numbers'
jq -c output and the interleaved file are made by the harness from these.
"""
import json
import math
import sys

try:
    from synapse_sdk.loggers import LogEntry
    from synapse_sdk.plugins.models.logger import LogLevel
    real = True
except Exception as e:  # noqa: BLE001 - any import problem means: emulate, and say so
    print(f"layouts.py: synapse_sdk not importable ({e}); writing to_dict()'s key order by hand", file=sys.stderr)
    real = False


def sdk_line(r):
    if real:
        entry = LogEntry(event=r["event"], data=r.get("data"), timestamp=r.get("timestamp"),
                         file=r.get("file"), step=r.get("step"),
                         level=LogLevel(r["level"]) if r.get("level") else None)
        return json.dumps(entry.to_dict())
    d = {"event": r["event"], "data": r.get("data"), "timestamp": r.get("timestamp"), "file": r.get("file"),
         "step": r.get("step"), "level": r.get("level")}
    return json.dumps(d)


def reverse(v):
    if isinstance(v, dict):
        return {k: reverse(v[k]) for k in reversed(list(v))}
    if isinstance(v, list):
        return [reverse(x) for x in v]
    return v


def full_precision(v):
    if isinstance(v, float):
        return math.nextafter(v, math.inf) if math.isfinite(v) and v != 0 else v
    if isinstance(v, dict):
        return {k: full_precision(x) for k, x in v.items()}
    if isinstance(v, list):
        return [full_precision(x) for x in v]
    return v


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f, open(f"{out}/sdk.jsonl", "w") as sdk, \
            open(f"{out}/reordered.jsonl", "w") as rev, open(f"{out}/seq.jsonl", "w") as seq, \
            open(f"{out}/sdkfloat.jsonl", "w") as sdkfloat, open(f"{out}/ourfloat.jsonl", "w") as ourfloat:
        for n, line in enumerate(f):
            r = json.loads(line)
            sdk.write(sdk_line(r) + "\n")
            sdkfloat.write(sdk_line(full_precision(r)) + "\n")
            ourfloat.write(json.dumps(full_precision(r), separators=(",", ":"), ensure_ascii=False) + "\n")
            top = {k: r[k] for k in r}
            if "data" in top:
                top["data"] = reverse(top["data"])
            rev.write(json.dumps(top, separators=(",", ":"), ensure_ascii=False) + "\n")
            seq.write(json.dumps({"seq": n, **r}, separators=(",", ":"), ensure_ascii=False) + "\n")
    print("real" if real else "emulated")


main()
