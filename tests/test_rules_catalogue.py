"""Every rule states its policy in one docstring line, printed by `returnwatch rules`."""

from __future__ import annotations

from alerts.rules import RULES, rule_catalogue


def test_rules_catalogue_lists_every_rule_with_its_policy() -> None:
    catalogue = dict(rule_catalogue())
    assert {rule.__name__ for rule in RULES} <= set(catalogue)
    assert "supersede_pending" in catalogue
    for name, policy in catalogue.items():
        assert policy.endswith("."), name
        assert len(policy) > 30, name


def test_rules_catalogue_states_the_un_trigger() -> None:
    policy = dict(rule_catalogue())["propose_suspensions"]
    assert "UN" in policy and "suspend" in policy
