"""factorcheck: how knee pain and plantar fasciitis may be linked, explained from your answers.

The supported library API is what `__all__` lists. For example::

    import factorcheck

    report = factorcheck.assess({"age_years": 44, "heel_pain": True, "knee_pain": False})
    print(report["triage"]["level"])

Everything else (the subpackages answers, rules, engine, report, conversation and the front ends)
may change between releases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factorcheck.version import __version__

if TYPE_CHECKING:
    from factorcheck.answers.answers_model import Answers
    from factorcheck.answers.questionnaire import ITEMS, Item
    from factorcheck.assessment import Assessor, assess, default_assessor
    from factorcheck.engine.loading import load_ruleset
    from factorcheck.errors import (
        EngineError,
        FactorcheckError,
        InvalidAnswersError,
        InvalidJsonError,
        Problem,
        RuleFileError,
    )
    from factorcheck.report.schema import Report
    from factorcheck.rules.ruleset import Ruleset

__all__ = [
    "ITEMS",
    "Answers",
    "Assessor",
    "EngineError",
    "FactorcheckError",
    "InvalidAnswersError",
    "InvalidJsonError",
    "Item",
    "Problem",
    "Report",
    "RuleFileError",
    "Ruleset",
    "__version__",
    "assess",
    "default_assessor",
    "load_ruleset",
]

# Where each public name lives. They are imported on first use, so that `import factorcheck.x`
# (every command, every batch worker) does not load pydantic and the engine before it needs them.
_HOMES = {
    "ITEMS": "factorcheck.answers.questionnaire",
    "Answers": "factorcheck.answers.answers_model",
    "Item": "factorcheck.answers.questionnaire",
    "Assessor": "factorcheck.assessment",
    "assess": "factorcheck.assessment",
    "default_assessor": "factorcheck.assessment",
    "EngineError": "factorcheck.errors",
    "FactorcheckError": "factorcheck.errors",
    "InvalidAnswersError": "factorcheck.errors",
    "InvalidJsonError": "factorcheck.errors",
    "Problem": "factorcheck.errors",
    "RuleFileError": "factorcheck.errors",
    "Report": "factorcheck.report.schema",
    "load_ruleset": "factorcheck.engine.loading",
    "Ruleset": "factorcheck.rules.ruleset",
}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'factorcheck' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
