"""Shared fixtures: the bundled examples and a writer for small scenario files."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

import tratado
from tratado.formats import bundled_examples

EXAMPLES = bundled_examples()

# In CI (CI=true) hypothesis draws the same examples on every run: a red build is
# reproducible, and no seed we never saw can turn it red. Locally it keeps exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def venezuela() -> tratado.Scenario:
    return tratado.load(EXAMPLES["venezuela-2021"])


@pytest.fixture(scope="session")
def job_offer() -> tratado.Scenario:
    return tratado.load(EXAMPLES["job-offer"])


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented YAML text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


SMALL = """\
tratado: 1
name: Small
agenda:
  issues:
    - name: price
      options: [low, mid, high]
    - name: days
      type: integer
      min: 1
      max: 3
parties:
  - id: buyer
    preferences:
      weights: {price: 0.7, days: 0.3}
      values:
        price: {low: 1, mid: 0.5, high: 0}
        days: {1: 1, 3: 0}
      reservation_value: 0.2
  - id: seller
    preferences:
      weights: {price: 0.6, days: 0.4}
      values:
        price: {low: 0, mid: 0.5, high: 1}
        days: {1: 0, 3: 1}
      reservation_value: 0.3
"""


# A scenario with uncertain numbers of every kind and a stakeholder with two effects.
UNCERTAIN = """\
tratado: 1
name: Uncertain
agenda:
  issues:
    - name: price
      options: [low, mid, high]
    - name: days
      type: integer
      min: 10
      max: 30
      step: 5
parties:
  - id: buyer
    short_name: Buyer
    preferences:
      weights: {price: [0.5, 0.7], days: {estimate: 0.4, low: 0.3, high: 0.5}}
      values:
        price: {low: 1, mid: [0.4, 0.6], high: 0}
        days: {10: 1, 20: {estimate: 0.5, low: 0.3, high: 0.8, distribution: pert}, 30: 0}
      reservation_value: {estimate: 0.3, low: 0.2, high: 0.4, distribution: normal, sd: 0.05}
  - id: seller
    preferences:
      weights: {price: 0.8, days: 0.2}
      weights_concentration: 40
      values:
        price: {low: 0, mid: 0.5, high: 1}
        days: {10: 0, 30: 1}
      reservation_value: [0.2, 0.4]
stakeholders:
  - name: The Bank
    effects:
      - party: buyer
        when: {price: [low, mid]}
        utility: [0.05, 0.15]
      - party: seller
        no_deal: -0.1
"""


UNCERTAIN_TABLE = """\
tratado: 1
name: Table
agenda:
  issues:
    - name: price
      options: [low, mid, high]
    - name: days
      options: [short, long]
parties:
  - id: buyer
    preferences:
      type: table
      default: [0.0, 0.2]
      outcomes:
        - outcome: {price: low, days: short}
          utility: 1
        - outcome: {price: mid, days: short}
          utility: {estimate: 0.7, low: 0.5, high: 0.9, note: "a guess"}
        - outcome: {price: low, days: long}
          utility: [0.6, 0.8]
      reservation_value: 0.3
  - id: seller
    preferences:
      weights: {price: 0.7, days: 0.3}
      values:
        price: {low: 0, mid: 0.5, high: 1}
        days: {short: 0, long: 1}
      reservation_value: 0.2
"""


@pytest.fixture
def small_yaml() -> str:
    return SMALL
