"""The picker's fixed vocabulary: ids and option names shared by the data file, the input and the model.

Nothing here is knowledge a fork would change (that lives in ``calculators/data/feedback.toml``);
these are the names the code and the data file agree on.
"""

from __future__ import annotations

DATA_NAME = "feedback.toml"
DATA_FILE = f"calculators/data/{DATA_NAME}"

MECHANISM_IDS = (
    "indirect_implicit",
    "direct_implicit",
    "binary_explicit",
    "categorical_explicit",
    "free_text",
    "model_correction",
)
KINDS = ("implicit", "explicit", "correction")
REQUIREMENTS = ("visible_output", "editable_output", "next_step")
INTERFACES = ("screen", "voice", "api")
TOLERANCES = ("low", "medium", "high")
SPEEDS = ("days", "weeks", "months")
PRIVACY = ("none", "some", "strict")
DEFERRED_TO = ("users", "team")
LEVELS = ("automatic", "automatic_above_threshold", "suggest_confirm", "human_decides")
SCORE_FACTORS = ("signal", "volume", "response", "effort", "speed", "clean")

LEVEL_NAMES = {
    "automatic": "Act automatically on every output",
    "automatic_above_threshold": "Act automatically above the threshold, ask below it",
    "suggest_confirm": "Suggest every output; a person confirms or corrects it",
    "human_decides": "A person decides; the model only assists in the background",
}

CHOW_1970 = (
    'C. K. Chow, "On optimum recognition error and reject tradeoff", '
    "IEEE Transactions on Information Theory 16(1), 41-46 (1970)"
)
CHOW_URL = "https://doi.org/10.1109/TIT.1970.1054406"

#: Input fields that take one of a fixed set of options.
CHOICES_OF: dict[str, tuple[str, ...]] = {
    "effort_tolerance": TOLERANCES,
    "learning_speed": SPEEDS,
    "interface": INTERFACES,
    "privacy": PRIVACY,
    "deferred_to": DEFERRED_TO,
}
