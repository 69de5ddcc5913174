"""Write the configuration of the instructor edition: the student edition's, plus instructor/edition.yml."""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def instructor(outdir: Path, root: Path = ROOT) -> tuple[Path, Path]:
    """Write _config.yml and _toc.yml of the instructor edition into `outdir`; return their paths."""
    spec = yaml.safe_load((root / "instructor" / "edition.yml").read_text(encoding="utf-8"))
    config = _merge(yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")), spec["config"])
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"] = toc["parts"] + spec["toc_parts"]
    outdir.mkdir(parents=True, exist_ok=True)
    paths = outdir / "_config.yml", outdir / "_toc.yml"
    for path, doc in zip(paths, (config, toc)):
        path.write_text("# Generated from _config.yml, _toc.yml and instructor/edition.yml; do not edit.\n"
                        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mxsec.editions", description=__doc__)
    parser.add_argument("outdir", type=Path, help="folder for the generated _config.yml and _toc.yml")
    args = parser.parse_args(argv)
    for path in instructor(args.outdir):
        print(path)


if __name__ == "__main__":
    main()
