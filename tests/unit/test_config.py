"""The book's configuration keeps its promises: offline widgets, no solutions, launch buttons."""

from __future__ import annotations

from pathlib import Path

import yaml

from mxsec.build import instructor

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SPHINX = CONFIG["sphinx"]["config"]


def test_student_edition_hides_solutions():
    assert SPHINX["hide_solutions"] is True
    assert "sphinx_exercise" in CONFIG["sphinx"]["extra_extensions"]


def test_widget_scripts_are_served_by_the_site_itself():
    scripts = SPHINX["nb_ipywidgets_js"]
    assert scripts, "without a widget script the embedded widgets would not render"
    for path in scripts:
        assert "//" not in path, f"{path} would load from outside the site"
        assert any((ROOT / folder / path).is_file() for folder in SPHINX["html_static_path"]), path


def test_no_root_static_folder_that_would_inject_every_script_into_every_page():
    assert not (ROOT / "_static").exists()


def test_launch_buttons_point_at_binder_and_colab_for_the_configured_repository():
    assert CONFIG["repository"]["url"].startswith("https://github.com/")
    assert CONFIG["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert SPHINX["html_theme_options"]["use_download_button"] is True


def test_execution_stops_on_any_error():
    assert CONFIG["execute"]["allow_errors"] is False
    assert CONFIG["execute"]["execute_notebooks"] in ("cache", "force")


def test_instructor_edition_shows_solutions_and_adds_its_pages(tmp_path):
    config_path, toc_path = instructor(tmp_path)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["hide_solutions"] is False
    # Everything else is inherited from the student edition.
    assert config["repository"] == CONFIG["repository"]
    assert config["sphinx"]["config"]["nb_ipywidgets_js"] == SPHINX["nb_ipywidgets_js"]
    extra = [
        c["file"]
        for part in toc["parts"][len(yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]) :]
        for c in part["chapters"]
    ]
    assert extra and all((ROOT / f"{f}.md").exists() or (ROOT / f"{f}.ipynb").exists() for f in extra), extra


def pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            out[name.strip().lower()] = version.strip()
    return out


def test_binder_runtime_pins_match_the_build_stack():
    binder, full = pins(ROOT / "binder" / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert binder, "binder/requirements.txt pins nothing"
    for name, version in binder.items():
        assert full.get(name) == version, f"{name}: binder pins {version}, requirements.txt {full.get(name)}"


def test_the_package_version_is_pyproject_s():
    import tomllib

    import mxsec

    pyproject = tomllib.loads(
        (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert mxsec.__version__ == pyproject["project"]["version"]


def test_the_instructor_edition_s_title_is_the_course_s_with_a_suffix(tmp_path):
    """The course title has one home, _config.yml; edition.yml holds only what the edition adds."""
    spec = yaml.safe_load((ROOT / "instructor" / "edition.yml").read_text(encoding="utf-8"))
    assert "title" not in spec["config"]
    config_path, _ = instructor(tmp_path)
    written = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    assert written["title"] == CONFIG["title"] + " (instructor edition)"
