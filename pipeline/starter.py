"""The starter overlay ``make company`` writes: every kind of change, commented out.

With the starter in place the site builds exactly as upstream's (every line is a
comment); a fork uncomments and edits what it needs.
"""

from __future__ import annotations

from pathlib import Path

PLAYBOOK_TOML = """\
# Your company's playbook settings. Upstream never ships a file in company/, so
# `git merge upstream/main` never conflicts with what you write here.
# Every key is optional; uncomment what you change. `python -m pipeline company --check`
# validates this folder and lists what it changes, in words.

# [site]
# name = "Acme ML Handbook"
# description = "How Acme staffs, runs and ships machine learning."
# url = "https://handbook.acme.example/"     # SITE_URL (set by the publish workflow) still wins
# language = "en"
# logo = "assets/images/acme-logo.svg"       # the file: company/assets/images/acme-logo.svg
# favicon = "assets/images/acme-logo.svg"
# extra_css = ["assets/acme.css"]            # the file: company/assets/acme.css
# copyright = "Acme Ltd, internal use"

# [palette]                                  # both schemes; or per scheme under [palette.light] / [palette.dark]
# primary = "blue-grey"                           # one that passes the contrast check (see "Make it your own")
# accent = "amber"
# [palette.dark]
# primary = "blue-grey"

# [playbook]                                 # any extra.playbook setting of mkdocs.yml
# snapshot = true
# pyodide_cdn = false

# [tests]
# content_tests = false                      # off: upstream's own content tests (its examples, chapters)

# [nav]
# hide = ["chapters/hiring.md"]              # left out of the site and its navigation
# [nav.redirect]                             # links to a hidden page go to its replacement
# "chapters/hiring.md" = "chapters/hiring-at-acme.md"
# [nav.rename]                               # a page's name in the navigation
# "chapters/roles.md" = "Roles at Acme"
# [[nav.add]]                                # a page or section after a page (its path) or a section (its title)
# after = "chapters/managing.md"
# entry = { "Hiring at Acme" = "chapters/hiring-at-acme.md" }   # the page: company/docs/chapters/hiring-at-acme.md
"""

DATA = {
    "archetypes.toml": """\
# Changes to calculators/data/archetypes.toml: partial records keyed by id.
# A field you give replaces upstream's (a table merges key by key); a new id adds a record.

# [[question]]                               # reword an upstream question
# id = "reporting"
# text = "Who do your ML people report to?"

# [[archetype]]                              # move one position of a profile
# id = "embedded"
# profile = { centralisation = 0.3 }

# [[example]]                                # every example answers your new question
# id = "midsize-insurer"
# answers = { remote_share = "some" }

# remove = ["ml_first"]                      # a record still referred to stops the build, naming both
""",
    "feedback.toml": """\
# Changes to calculators/data/feedback.toml.

# [[mechanism]]
# id = "binary_explicit"
# response_rate = 0.05                       # the rate you measured
""",
    "timeline_examples.toml": """\
# Changes to calculators/data/timeline_examples.toml. The first plan is the page's default.

# [[plan]]
# id = "acme-default"
# label = "Acme's usual model project"
# tasks = [ ... ]                            # copy an upstream plan's tasks and edit them

# [order]
# plan = ["acme-default"]                    # these first, in this order; the others follow
""",
    "charts.toml": """\
# Changes to docs/_data/charts.toml (the chapters' charts): a table merges key by key,
# `rows` replaces upstream's rows.
""",
}

README = """\
# company/: this fork's overlay

Everything your company changes lives here; upstream ships nothing in this folder.

- `playbook.toml`: name, logo, colours, settings, navigation, the content-test switch.
- `docs/`: pages. A page with the path of an upstream page (`docs/chapters/roles.md`) replaces it.
- `assets/`: files published under `assets/` (a logo, a stylesheet); same path replaces upstream's.
- `overrides/`: theme templates and partials, found before upstream's `overrides/`.
- `data/<name>.toml`: partial records merged over `calculators/data/<name>.toml` or `docs/_data/<name>.toml`.

`python -m pipeline company --check` validates it and lists what it changes.
"""


def write(root: Path) -> list[str]:
    """Write the starter into ``root`` (never over a file that exists); what was written, in words."""
    files = {"playbook.toml": PLAYBOOK_TOML, "README.md": README}
    files |= {f"data/{name}": text for name, text in DATA.items()}
    files |= {"docs/.gitkeep": "", "assets/.gitkeep": "", "overrides/.gitkeep": ""}
    said = []
    for rel, text in files.items():
        path = root / rel
        if path.exists():
            said.append(f"kept company/{rel} (it exists)")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        said.append(f"wrote company/{rel}")
    return said
