"""The rule registry: every rule the planner enforces and the audit checks, in one list.

A rule is named as the scenario, the audit, the bends and the conflict explanations name it
("hard_recovery", "availability.blackouts", "phases.transition"). Each entry says which family
it belongs to (the module `planner/rules/<family>.py` that builds it and `audit/<family>.py`
that checks it) and where its settings live in the scenario. The planner and the audit each
map the names to their own functions (`planner.rules.BUILDERS`, `audit.CHECKS`) and run them
in this order; `tests/test_registry.py` fails when a rule lacks its settings, builder, check,
binding test, preset entry or documentation.

This module never imports the solver (nor the audit).
"""

from __future__ import annotations

from dataclasses import dataclass

from periodize.scenario.rules import Rule, Rules


@dataclass(frozen=True)
class RuleSpec:
    """One rule: its name, its family and where its settings live in the scenario."""

    name: str
    family: str
    settings: str  # dotted path in a scenario: "rules.hard_recovery", "availability.fixed"

    @property
    def is_availability(self) -> bool:
        """Availability facts (training days, blackouts, ...) are never soft."""
        return self.settings.startswith("availability.")

    @property
    def rule(self) -> str:
        """The `[rules]` entry this rule is part of ("phases.transition" -> "phases"); the
        availability facts answer with their own name."""
        return self.settings.removeprefix("rules.")


# In the order the model adds them: the deload rule before the taper, ramp and acute:chronic rules
# (they read the deload weeks).
RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "availability.max_sessions_per_day", "availability", "availability.max_sessions_per_day"
    ),
    RuleSpec("availability.minutes_per_day", "availability", "availability.minutes_per_day"),
    RuleSpec("availability.fixed", "availability", "availability.fixed"),
    RuleSpec("availability.training_days", "availability", "availability.training_days"),
    RuleSpec("availability.blackouts", "availability", "availability.blackouts"),
    RuleSpec("race_day", "races", "rules.race_day"),
    RuleSpec("day_before_race", "races", "rules.day_before_race"),
    RuleSpec("day_after_race", "races", "rules.day_after_race"),
    RuleSpec("b_race_reduction", "races", "rules.b_race_reduction"),
    RuleSpec("sharpening", "races", "rules.sharpening"),
    RuleSpec("pre_race_rest", "races", "rules.pre_race_rest"),
    RuleSpec("hard_recovery", "recovery", "rules.hard_recovery"),
    RuleSpec("consecutive_hard_days", "recovery", "rules.consecutive_hard_days"),
    RuleSpec("strength_before_sprint", "recovery", "rules.strength_before_sprint"),
    RuleSpec("rest_days", "recovery", "rules.rest_days"),
    RuleSpec("phases", "phases", "rules.phases"),
    RuleSpec("phases.transition", "phases", "rules.phases"),
    RuleSpec("frequency", "frequency", "rules.frequency"),
    RuleSpec("deload", "load", "rules.deload"),
    RuleSpec("taper", "taper", "rules.taper"),
    RuleSpec("weekly_load_cap", "load", "rules.weekly_load_cap"),
    RuleSpec("ramp", "load", "rules.ramp"),
    RuleSpec("acute_chronic", "load", "rules.acute_chronic"),
    RuleSpec("monotony", "load", "rules.monotony"),
    RuleSpec("time_trial", "phases", "rules.time_trial"),
)

BY_NAME: dict[str, RuleSpec] = {spec.name: spec for spec in RULES}

# The `[rules]` entries, in the order the Rules table declares them.
RULE_NAMES: tuple[str, ...] = tuple(name for name in Rules.model_fields if name != "preset")
# Constraint families that are part of a `[rules]` entry (named as the audit names them).
RULE_PARTS: dict[str, str] = {
    spec.name: spec.rule for spec in RULES if not spec.is_availability and spec.name != spec.rule
}
# Availability facts: never soft, but named in conflict explanations.
AVAILABILITY_RULES: tuple[str, ...] = tuple(spec.name for spec in RULES if spec.is_availability)


def rule_of(name: str) -> str:
    """The scenario rule a constraint family belongs to ("phases.transition" -> "phases")."""
    spec = BY_NAME.get(name)
    return spec.rule if spec is not None else name


def settings_of(rules: Rules, name: str) -> Rule:
    """The settings of the `[rules]` entry a rule belongs to."""
    setting: Rule = getattr(rules, rule_of(name))
    return setting


def soft_rules(rules: Rules) -> dict[str, float]:
    """Every enabled soft rule family with its penalty per bent instance."""
    soft = {}
    for name in (*RULE_NAMES, *RULE_PARTS):
        rule = settings_of(rules, name)
        if rule.enabled and rule.mode == "soft" and rule.penalty is not None:
            soft[name] = float(rule.penalty)
    return soft
