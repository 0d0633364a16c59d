"""Files built to hurt the machine are refused cleanly, quickly and without quoting them whole.

Each case here crashed, hung or exhausted memory before (issue 7 §3): alias bombs,
deep nesting, huge numbers, huge files and values, absurd deadlines, look-alike labels.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SMALL

from tratado.errors import ScenarioError
from tratado.formats import load, loads_yaml
from tratado.formats._input import json_depth
from tratado.limits import env_name, limit, override

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True, params=["libyaml", "python"])
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case runs with LibYAML's parser (when PyYAML has it) and with the pure-Python
    one (what installations without LibYAML use)."""
    from tratado.formats import _yaml_loader

    if request.param == "python":
        monkeypatch.setattr(_yaml_loader, "_Loader", _yaml_loader.ScenarioLoader)
    elif _yaml_loader._Loader is _yaml_loader.ScenarioLoader:
        pytest.skip("PyYAML was built without LibYAML")
    return str(request.param)


def refusal(text: str, file: str = "scenario.yaml") -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        loads_yaml(text, file)
    error = caught.value
    assert error.file == file
    assert len(str(error)) < 600, "an error message quotes too much of the input"
    return error


def alias_bomb(levels: int, width: int = 9) -> str:
    names = "abcdefghijklmnop"
    lines = [f"a: &a [{','.join(['x'] * width)}]"]
    for level in range(1, levels):
        name, below = names[level], names[level - 1]
        lines.append(f"{name}: &{name} [{','.join([f'*{below}'] * width)}]")
    return "\n".join(lines) + "\n"


# -- aliases -------------------------------------------------------------------------
def test_a_nine_level_alias_bomb_is_refused_before_it_expands() -> None:
    text = alias_bomb(9)
    assert len(text.encode()) < 400  # the 342-byte bomb of the report, give or take
    error = refusal(text)
    assert "aliases" in error.message and env_name("alias_nodes") in (error.fix or "")


def test_an_alias_that_contains_itself_is_refused() -> None:
    assert "contains it" in refusal("a: &a [1, *a]\n").message


def test_aliases_within_the_limit_still_work() -> None:
    text = SMALL.replace("      weights: {price: 0.7, days: 0.3}",
                         "      weights: &w {price: 0.7, days: 0.3}", 1)
    text = text.replace("      weights: {price: 0.6, days: 0.4}", "      weights: *w")
    scenario = loads_yaml(text)
    assert list(scenario.parties[1].preferences.weights) == [0.7, 0.3]  # type: ignore[attr-defined]


def test_the_alias_limit_can_be_raised() -> None:
    text = alias_bomb(4, 4)  # 4 + 16 + 64 + 256 entries with the lists: 341 in all
    with override(alias_nodes=100):
        assert "aliases" in refusal(text).message
    with override(alias_nodes=1_000), pytest.raises(ScenarioError) as caught:
        loads_yaml(text)
    assert "aliases" not in caught.value.message  # parsed; refused only as a scenario


# -- nesting -------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["x: " + "[" * 2000 + "]" * 2000,
                                  "".join("  " * i + "-\n" for i in range(3000))],
                         ids=["flow", "block"])
def test_deep_yaml_is_refused_without_a_recursion_error(text: str) -> None:
    error = refusal(text)
    assert "nest" in error.message and error.line is not None
    assert env_name("nesting") in (error.fix or "")


def test_aliases_cannot_smuggle_nesting_past_the_limit() -> None:
    lines = ["a0: &a0 " + "[" * 30 + "]" * 30]
    lines += [f"a{k}: &a{k} [[[[[[[[[[*a{k - 1}]]]]]]]]]]" for k in range(1, 8)]
    assert "aliases expanded" in refusal("\n".join(lines) + "\n").message


def write_web(folder: Path) -> Path:
    shutil.copytree(DATA / "geniusweb" / "jobs", folder)
    return folder


def test_deep_geniusweb_json_is_refused_before_parsing(tmp_path: Path) -> None:
    folder = write_web(tmp_path / "jobs")
    (folder / "employee.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert "nest" in caught.value.message and caught.value.file == str(folder / "employee.json")


def test_json_depth_skips_brackets_inside_strings() -> None:
    assert json_depth('{"a": ["[[[[", {"b": "]]"}]}') == 3
    assert json_depth('"\\"[[[" ') == 0


def test_deep_genius_xml_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    (folder / "buyer.xml").write_text("<utility_space>" + "<a>" * 500 + "</a>" * 500
                                      + "</utility_space>")
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert "nest" in caught.value.message and caught.value.file == str(folder / "buyer.xml")


# -- huge numbers ----------------------------------------------------------------------
HUGE = "9" * 400


@pytest.mark.parametrize(("old", "new", "field"), [
    ("reservation_value: 0.2", f"reservation_value: {HUGE}", "parties[0].preferences.reservation_value"),
    ("weights: {price: 0.7, days: 0.3}", f"weights: {{price: {HUGE}, days: 0.3}}",
     "parties[0].preferences.weights.price"),
    ("max: 3", f"max: {HUGE}", "agenda.issues[1].max"),
    ("reservation_value: 0.3", f"reservation_value: {'1' * 5000}.5",
     "parties[1].preferences.reservation_value"),
    ("min: 1", f"min: {'1' * 5000}", "agenda.issues[1].min"),
])
def test_huge_numbers_are_refused_naming_the_field(old: str, new: str, field: str) -> None:
    assert old in SMALL
    error = refusal(SMALL.replace(old, new, 1))
    assert error.field == field and "digits" in error.message
    assert env_name("number_digits") in (error.fix or "")


def test_a_huge_deadline_is_refused() -> None:
    error = refusal(SMALL + f"rules: {{deadline: {HUGE}}}\n")
    assert error.field == "rules.deadline"


def test_raising_the_digit_limit_still_gives_clean_refusals() -> None:
    with override(number_digits=10_000):
        assert refusal(SMALL.replace("reservation_value: 0.2", f"reservation_value: {HUGE}"))
        assert refusal(SMALL.replace("max: 3", f"max: {HUGE}")).field == "agenda.issues[1]"
        assert refusal(SMALL.replace("min: 1", f"min: {'1' * 5000}"))
        assert refusal(SMALL + f"rules: {{deadline: {HUGE}}}\n").field == "rules.deadline"


@pytest.mark.parametrize("deadline", ["100000000", "1e20", "1.0e20"])
def test_absurd_deadlines_are_refused_naming_the_limit(deadline: str) -> None:
    error = refusal(SMALL + f"rules: {{deadline: {deadline}}}\n")
    assert error.field == "rules.deadline"
    if deadline == "100000000":
        assert f"{limit('rounds'):,}" in error.message and env_name("rounds") in (error.fix or "")


def test_a_genius_bound_of_1e308_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    for name in ("supplier_domain.xml", "buyer.xml", "seller.xml"):
        path = folder / name
        path.write_text(path.read_text().replace('lowerbound="1"', 'lowerbound="-1e308"'))
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert "options" in caught.value.message and caught.value.file


@pytest.mark.parametrize("where", ["lowValue", "highUtility", "salary", "lease car"])
def test_geniusweb_numbers_of_400_digits_are_refused(tmp_path: Path, where: str) -> None:
    folder = write_web(tmp_path / "jobs")
    path = folder / "employee.json"
    text = path.read_text()
    if where in ("lowValue", "highUtility"):
        text = text.replace(f'"{where}": 2000' if where == "lowValue" else f'"{where}": 1}}',
                            f'"{where}": {10**400}' + ("}" if where == "highUtility" else ""), 1)
    else:
        data = json.loads(text)
        data["LinearAdditiveUtilitySpace"]["issueWeights"][where] = 10**400
        text = json.dumps(data)
    assert str(10**400) in text
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert caught.value.file == str(path) and "digits" in caught.value.message


# -- size --------------------------------------------------------------------------------
def test_files_over_the_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(SMALL + "# " + "x" * 5000 + "\n")
    with override(input_bytes=1000), pytest.raises(ScenarioError) as caught:
        load(path)
    assert "bytes" in caught.value.message and env_name("input_bytes") in (caught.value.fix or "")
    assert load(path).name == "Small"


def test_a_huge_bad_value_is_quoted_as_an_excerpt_only() -> None:
    error = refusal(SMALL + f"rules: {{deadline: {'x' * 200_000}}}\n")
    assert "200,000 characters" in str(error)


@pytest.mark.parametrize("old, new", [
    ("name: price", "name: " + "p" * 100_000),
    ("[low, mid, high]", "[low, mid, high, " + "z" * 100_000 + "]"),
    ("price: {low: 1,", "price: {" + "q" * 100_000 + ": 1, low: 1,"),
    ("tratado: 1", "tratado: " + "7" * 60),
    ("  - id: buyer", "  - id: " + "b" * 100_000 + "\n    extra_" + "k" * 100_000 + ": 1"),
])
def test_no_message_quotes_a_long_value_whole(old: str, new: str) -> None:
    assert old in SMALL
    refusal(SMALL.replace(old, new, 1))


def test_a_huge_genius_attribute_is_quoted_as_an_excerpt_only(tmp_path: Path) -> None:
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    path = folder / "buyer.xml"
    path.write_text(path.read_text().replace('value="0.', f'value="{"x" * 100_000}', 1))
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert len(str(caught.value)) < 600


# -- look-alike labels ------------------------------------------------------------------
def with_options(options: str) -> str:
    text = SMALL.replace("[low, mid, high]", options)
    return text


@pytest.mark.parametrize("options, words", [
    ("[months, mоnths]", "Cyrillic"),            # the second 'о' is Cyrillic
    ("[café, cafe\u0301]", "twice"),              # NFC and NFD spellings
    ("[Months, months]", "letter case"),
    ("[сор, cop]", "look alike"),                 # all-Cyrillic against all-Latin
    ("[low, \"lo\u202ew\"]", "RIGHT-TO-LEFT OVERRIDE"),
    ("[low, \"lo\u2066w\"]", "ISOLATE"),
    ("[low, \"lo\u200fw\"]", "RIGHT-TO-LEFT MARK"),
    ("[low, \"lo\\x07w\"]", "control character"),
])
def test_look_alike_and_hidden_characters_in_options_are_refused(options: str, words: str) -> None:
    error = refusal(with_options(options))
    assert words in error.message and error.field and error.field.startswith("agenda.issues[0]")


def test_honest_labels_in_several_scripts_are_accepted() -> None:
    scenario = loads_yaml(with_options("[5 μg/L, все, всё]").replace(
        "price: {low: 1, mid: 0.5, high: 0}", "price: {5 μg/L: 1, все: 0.5, всё: 0}").replace(
        "price: {low: 0, mid: 0.5, high: 1}", "price: {5 μg/L: 0, все: 0.5, всё: 1}"))
    assert scenario.agenda.issues[0].options == ("5 μg/L", "все", "всё")


def test_labels_are_normalised_to_nfc() -> None:
    scenario = loads_yaml(with_options("[low, mid, \"cafe\u0301\"]").replace("high: 0}", "cafe\u0301: 0}")
                          .replace("high: 1}", "café: 1}"))
    assert scenario.agenda.issues[0].options[2] == "café"


def test_hidden_characters_in_names_are_refused() -> None:
    error = refusal(SMALL.replace("name: Small", "name: \"Sm\u202eall\""))
    assert error.field == "name"
    error = refusal(SMALL.replace("  - id: seller", "  - id: seller\n    name: \"Sel\u2067ler\""))
    assert error.field == "parties[1].name"


def test_line_breaks_are_allowed_in_notes_but_not_in_names() -> None:
    notes = SMALL.replace("  - id: seller", "  - id: seller\n    notes: \"one\\ntwo\"")
    assert loads_yaml(notes).parties[1].notes == "one\ntwo"
    assert refusal(SMALL.replace("name: Small", "name: \"one\\ntwo\"")).field == "name"


def test_genius_item_labels_are_checked(tmp_path: Path) -> None:
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    for name in ("supplier_domain.xml", "buyer.xml", "seller.xml"):
        path = folder / name
        path.write_text(path.read_text().replace('value="60 days"', 'value="60 d\u202eays"'))
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert "OVERRIDE" in caught.value.message and caught.value.line is not None


def test_hidden_characters_in_file_names_and_domain_names_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    (folder / "seller.xml").rename(folder / "sel\u202eler.xml")
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert caught.value.file == str(folder / "sel\u202eler.xml") and "OVERRIDE" in str(caught.value)
    (folder / "sel\u202eler.xml").rename(folder / "seller.xml")
    domain = folder / "supplier_domain.xml"
    domain.write_text(domain.read_text().replace('name="Supplier deal"', 'name="Supplier\u2067 deal"'))
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert caught.value.file == str(domain) and "ISOLATE" in str(caught.value)


def test_a_json_key_given_twice_is_refused(tmp_path: Path) -> None:
    folder = write_web(tmp_path / "jobs")
    path = folder / "employee.json"
    path.write_text(path.read_text().replace('"issueWeights": {', '"issueWeights": {"salary": 0.9, ', 1))
    with pytest.raises(ScenarioError) as caught:
        load(folder)
    assert caught.value.file == str(path) and "'salary' is given twice" in caught.value.message


def test_long_names_are_refused_in_yaml_and_shortened_from_genius(tmp_path: Path) -> None:
    error = refusal(SMALL.replace("name: price", "name: " + "p" * 300).replace("price:", "p" * 300 + ":"))
    assert "longer than 200 characters" in error.message
    folder = tmp_path / "supplier"
    shutil.copytree(DATA / "genius" / "supplier", folder)
    for name in ("supplier_domain.xml", "buyer.xml", "seller.xml"):
        path = folder / name
        path.write_text(path.read_text().replace('name="Price"', f'name="{"P" * 5000}"'))
    scenario = load(folder)
    assert len(scenario.agenda.names[0]) == 100 and scenario.agenda.issues[0].title == "P" * 5000
