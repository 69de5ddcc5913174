"""The execution cache follows the data: a change in data/ or the package clears it."""

from __future__ import annotations

from mxsec.build import fresh_cache, inputs_digest


def make_root(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "src" / "mxsec").mkdir(parents=True)
    (tmp_path / "data" / "facts.yaml").write_text("- id: a\n  value: 1\n")
    (tmp_path / "src" / "mxsec" / "data.py").write_text("x = 1\n")
    (tmp_path / "references.bib").write_text("@book{A,}\n")
    return tmp_path


def cache(build):
    for name in (".jupyter_cache", ".doctrees"):
        (build / name).mkdir(parents=True, exist_ok=True)
        (build / name / "entry").write_text("kept from an earlier build")


def test_unchanged_inputs_keep_the_cache(tmp_path):
    root, build = make_root(tmp_path), tmp_path / "_build"
    fresh_cache(build, root)
    cache(build)
    assert fresh_cache(build, root) is False
    assert (build / ".jupyter_cache" / "entry").exists() and (build / ".doctrees" / "entry").exists()


def test_a_data_change_clears_the_cache(tmp_path):
    root, build = make_root(tmp_path), tmp_path / "_build"
    fresh_cache(build, root)
    cache(build)
    (root / "data" / "facts.yaml").write_text("- id: a\n  value: 2\n")
    assert fresh_cache(build, root) is True
    assert not (build / ".jupyter_cache").exists()
    # Sphinx's saved doctrees would otherwise keep pages (and their widget code) from before.
    assert not (build / ".doctrees").exists()


def test_a_package_change_changes_the_digest(tmp_path):
    root = make_root(tmp_path)
    before = inputs_digest(root)
    (root / "src" / "mxsec" / "data.py").write_text("x = 2\n")
    assert inputs_digest(root) != before


def test_a_cache_of_unknown_origin_is_not_trusted(tmp_path):
    root, build = make_root(tmp_path), tmp_path / "_build"
    cache(build)
    fresh_cache(build, root)
    assert not (build / ".jupyter_cache").exists()
