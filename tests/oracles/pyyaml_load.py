"""Load YAML files with PyYAML (what the platform's tooling reads the catalog with).

Usage: pyyaml_load.py FILE... -> a JSON list, one document per file (dates become strings).
"""
import json
import sys

import yaml

docs = []
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", newline="") as f:
        docs.append(yaml.safe_load(f))
json.dump(docs, sys.stdout, default=str)
