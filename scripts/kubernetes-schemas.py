#!/usr/bin/env python3
"""Builds the small, standalone Kubernetes schemas that acegen embeds.

kubernetes-validate ships, per Kubernetes version, strict schemas that refer
to one 1.5 MB `_definitions.json`. acegen emits only Deployments and Services,
so this keeps the definitions those two kinds reach, rewrites the references
to point inside the file, and drops the descriptions (prose, not rules).

Usage: python3 scripts/kubernetes-schemas.py PACKAGE_DIR VERSION OUT_DIR
  PACKAGE_DIR: the installed kubernetes_validate package folder
  VERSION:     e.g. 1.33.0
"""
import json
import os
import sys

KINDS = ["deployment-apps-v1", "service-v1"]
# The kinds' files refer to `_definitions.json`; the definitions to each other.
PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")


def strip(node, needed):
    """The node without descriptions, its references made local; the
    definitions it refers to are added to `needed`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "description":
                continue
            prefix = next((p for p in PREFIXES if str(value).startswith(p)), None)
            if key == "$ref" and prefix:
                name = value[len(prefix):]
                needed.add(name)
                out[key] = "#/$defs/" + name
            else:
                out[key] = strip(value, needed)
        return out
    if isinstance(node, list):
        return [strip(item, needed) for item in node]
    return node


def main():
    package, version, out_dir = sys.argv[1:4]
    folder = os.path.join(package, "kubernetes-json-schema", f"v{version}-local-strict")
    with open(os.path.join(folder, "_definitions.json")) as f:
        definitions = json.load(f)["$defs"]
    os.makedirs(out_dir, exist_ok=True)
    for kind in KINDS:
        with open(os.path.join(folder, kind + ".json")) as f:
            schema = json.load(f)
        needed = set()
        schema = strip(schema, needed)
        defs = {}
        pending = sorted(needed)
        while pending:
            name = pending.pop()
            if name in defs:
                continue
            more = set()
            defs[name] = strip(definitions[name], more)
            pending.extend(sorted(more - defs.keys()))
        schema["$defs"] = dict(sorted(defs.items()))
        path = os.path.join(out_dir, kind + ".json")
        with open(path, "w") as f:
            json.dump(schema, f, sort_keys=True, separators=(",", ":"))
            f.write("\n")
        print(f"{path}: {len(defs)} definitions, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
