"""Award-quota simulation: which units (and people) get the certificates, under which rule, and how safe
that is. Pure functions over polars frames; never imports streamlit. Used by the Quota simulation page,
`parboard simulate`, the award-annex export and the tests alike.

Public API:
    presets.names() / presets.load(name) / presets.raw(name)   the shipped presets (data/rules/quota/)
    parse(data) -> Scenario                                    a scenario dict, validated (ScenarioError
                                                               lists every wrong field by its path)
    validate(data) -> list[FieldError]
    Scope.parse("2023" | "2021-2025")
    load_inputs(published, scope) -> Inputs                    the published figures a scope needs
    simulate(scenario, inputs, scope) -> SimulationResult      per rule and group: awarded, ties, left out
                                                               (with the points needed), excluded (filter,
                                                               value, requirement), notices
    compare([result, ...]) -> Comparison                       who gains, who loses, and why
    robustness(result, inputs, noise) -> Robustness result     Monte Carlo probability of award per unit
    explain.*                                                  the words: rule statements, reasons, notices

A scenario is a list of rules (see model.py and the presets for the fields); rules run in order, so a
rule may exclude the winners of an earlier, higher award (exclude_awarded_by).
"""

from analysis.quota.compare import Comparison, compare
from analysis.quota.inputs import Inputs, Scope
from analysis.quota.inputs import load as load_inputs
from analysis.quota.model import FieldError, Scenario, ScenarioError, validate
from analysis.quota.robust_model import Noise, RobustnessResult
from analysis.quota.simulate import GroupResult, Notice, RuleResult, SimulationResult, simulate


def robustness(result: SimulationResult, inputs: Inputs, noise: Noise | None = None) -> RobustnessResult:
    """The Monte Carlo of montecarlo.robustness, imported at its first use: numpy is its own, and a command
    that only simulates (`parboard simulate` without --robustness) starts without it."""
    from analysis.quota import montecarlo

    return montecarlo.robustness(result, inputs, noise)


def parse(data: object) -> Scenario:
    """A scenario dict validated, starting from the shipped robustness defaults."""
    from analysis.quota import model, presets

    return model.parse(data, presets.defaults())


__all__ = [
    "Comparison",
    "FieldError",
    "GroupResult",
    "Inputs",
    "Noise",
    "Notice",
    "RobustnessResult",
    "RuleResult",
    "Scenario",
    "ScenarioError",
    "Scope",
    "SimulationResult",
    "compare",
    "load_inputs",
    "parse",
    "robustness",
    "simulate",
    "validate",
]
