"""Load YAML files with PyYAML (what the platform's tooling reads the catalog with).

Usage: pyyaml_load.py FILE...            -> a JSON list, one document per file (dates become strings).
       pyyaml_load.py --tolerant FILE... -> a JSON list of {"ok": document} or {"error": message}, so
                                            that one file PyYAML rejects does not stop the others.
"""
import json
import sys

import yaml


def plain(v):
    """JSON-safe: keys as strings, sets and other types as their text."""
    if isinstance(v, dict):
        return {k if isinstance(k, str) else str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


args = sys.argv[1:]
tolerant = args[:1] == ["--tolerant"]
docs = []
for path in args[1:] if tolerant else args:
    with open(path, encoding="utf-8", newline="") as f:
        if not tolerant:
            docs.append(yaml.safe_load(f))
            continue
        try:
            docs.append({"ok": plain(yaml.safe_load(f))})
        except Exception as e:  # noqa: BLE001 - any rejection is the verdict
            docs.append({"error": str(e).split("\n")[0]})
json.dump(docs, sys.stdout, default=str)
