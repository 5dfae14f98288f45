"""Loading mentor bios: whole-source errors raise, bad records are reported and skipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from finder.core.errors import IngestError
from finder.core.models import BIO_MAX_CHARS, Mentor
from ingest import LoadResult, load_mentors


def good(mentor_id: str = "m1", **fields: Any) -> dict[str, Any]:
    return {"id": mentor_id, "name": "Ada Osei", "bio": "I help with data pipelines.", **fields}


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def only_problem(result: LoadResult) -> str:
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return str(result.problems[0])


# -- whole-source errors ------------------------------------------------------------------


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.jsonl"
    with pytest.raises(IngestError, match="nowhere.jsonl: file not found"):
        load_mentors(path)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(IngestError, match="empty.jsonl: file is empty"):
        load_mentors(path)


@pytest.mark.parametrize("name, text", [("none.json", "[]"), ("header.csv", "id,name,bio\n")])
def test_file_without_records_is_an_error(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=f"{name}: .*no mentor records"):
        load_mentors(tmp_path / name)


def test_non_utf8_file_says_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    data = json.dumps(good()).encode() + b"\n" + '{"id": "m2", "bio": "Café"}'.encode("latin-1")
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        load_mentors(path)
    message = str(info.value)
    offset = data.index(b"\xe9")
    assert "latin1.jsonl" in message and "not UTF-8" in message
    assert f"byte offset {offset}" in message and "line 2" in message


def test_json_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "m1",', encoding="utf-8")
    with pytest.raises(IngestError, match=r"broken.json: not valid JSON .*line 1, column"):
        load_mentors(path)


def test_json_file_that_is_not_an_array(tmp_path: Path) -> None:
    path = tmp_path / "object.json"
    path.write_text(json.dumps(good()), encoding="utf-8")
    with pytest.raises(IngestError, match=r"object.json: .*array .*got an object"):
        load_mentors(path)


def test_csv_without_a_required_column_names_it_and_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,name,skills\nm1,Ada,python\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        load_mentors(path)
    message = str(info.value)
    assert "people.csv" in message and "no 'bio' column" in message
    assert "'id', 'name', 'skills'" in message


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "mentors.txt"
    path.write_text(json.dumps(good()), encoding="utf-8")
    with pytest.raises(IngestError, match=r"mentors.txt: unsupported file type '.txt'; .*\.jsonl"):
        load_mentors(path)


# -- per-record problems (JSONL) ----------------------------------------------------------


@pytest.mark.parametrize(
    "record, field, reason",
    [
        (good(years_experience="ten"), "years_experience", "must be a whole number, got 'ten'"),
        (good(name=["Ada"]), "name", "must be text, got a list"),
        (good(formats=["video", "fax"]), "formats", "unknown format 'fax'"),
        (good(languages=["english"]), "languages", "ISO 639-1 codes"),
        (good(timezone="Mars/Olympus"), "timezone", "'Mars/Olympus' is not an IANA time zone"),
        ({"id": "m1", "name": "Ada"}, "bio", "required field 'bio' is missing"),
        (good(bio="x" * (BIO_MAX_CHARS + 7)), "bio",
         f"{BIO_MAX_CHARS + 7} characters long, over the limit of {BIO_MAX_CHARS}"),
    ],
)
def test_bad_field_is_reported_with_line_and_field(
    tmp_path: Path, record: dict[str, Any], field: str, reason: str
) -> None:
    path = write_jsonl(tmp_path / "mentors.jsonl", [good("ok1"), record, good("ok2")])
    result = load_mentors(path)
    message = only_problem(result)
    assert message.startswith(f"{path}, line 2")
    assert f"field '{field}'" in message and reason in message
    assert [m.id for m in result.mentors] == ["ok1", "ok2"]
    assert result.problems[0].field == field and result.problems[0].location == 2


def test_one_problem_per_failing_field_without_pydantic_noise(tmp_path: Path) -> None:
    bad = {"id": "m9", "name": "", "bio": "b", "max_requests_per_week": -1}
    result = load_mentors(write_jsonl(tmp_path / "m.jsonl", [bad]))
    assert {p.field for p in result.problems} == {"name", "max_requests_per_week"}
    assert all(p.mentor_id == "m9" for p in result.problems)
    text = " ".join(str(p) for p in result.problems)
    assert "pydantic" not in text and "Input should" not in text
    assert "must be at least 0, got -1" in text


def test_malformed_json_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", [good("a"), '{"id": "b", "name": ', good("c")])
    result = load_mentors(path)
    message = only_problem(result)
    assert "m.jsonl, line 2" in message and "not valid JSON" in message
    assert [m.id for m in result.mentors] == ["a", "c"]


def test_line_that_is_not_an_object(tmp_path: Path) -> None:
    result = load_mentors(write_jsonl(tmp_path / "m.jsonl", [good("a"), "[1, 2]"]))
    message = only_problem(result)
    assert "line 2" in message and "expected a JSON object" in message and "got a list" in message


def test_duplicate_id_rejects_the_second_and_names_the_first_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.jsonl", [good("a", name="First"), good("b"),
                                              good("a", name="Second")])
    result = load_mentors(path)
    message = only_problem(result)
    assert "line 3" in message and "field 'id'" in message
    assert "duplicate id 'a'" in message and "already used on line 1" in message
    assert [(m.id, m.name) for m in result.mentors] == [("a", "First"), ("b", "Ada Osei")]


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text("\n" + json.dumps(good("a")) + "\n\n\r\n" + '{"id": 5}' + "\n\n",
                    encoding="utf-8")
    result = load_mentors(path)
    assert [m.id for m in result.mentors] == ["a"]
    assert {p.location for p in result.problems} == {5}
    assert {p.field for p in result.problems} == {"name", "bio"}


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(good("a", bio="Café owner")).encode() + b"\n")
    result = load_mentors(path)
    assert result.ok and result.mentors[0].id == "a" and result.mentors[0].bio == "Café owner"


def test_ndjson_and_string_paths_work(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "m.ndjson", [good("a")])
    result = load_mentors(str(path))
    assert result.source == str(path) and [m.id for m in result.mentors] == ["a"]


# -- JSON arrays and in-memory records ----------------------------------------------------


def test_json_array_reports_item_index(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps([good("a"), good("b", formats=["pigeon"]), "oops"]),
                    encoding="utf-8")
    result = load_mentors(path)
    messages = [str(p) for p in result.problems]
    assert [m.id for m in result.mentors] == ["a"]
    assert messages[0].startswith(f"{path}, item 2 (id 'b'), field 'formats'")
    assert messages[1].startswith(f"{path}, item 3") and "got text" in messages[1]


def test_iterable_of_dicts_and_mentors() -> None:
    records = [good("a"), Mentor(**good("b")), good("c", timezone="Nowhere/City"), good("a")]
    result = load_mentors(records)
    assert [m.id for m in result.mentors] == ["a", "b"]
    assert [(p.location, p.unit, p.field) for p in result.problems] == [
        (3, "item", "timezone"), (4, "item", "id")]
    assert str(result.problems[0]).startswith("<input>, item 3")


def test_single_dict_is_not_a_source() -> None:
    with pytest.raises(IngestError, match="single"):
        load_mentors(good())


# -- CSV ----------------------------------------------------------------------------------


def test_csv_lists_numbers_empty_cells_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "id,name,bio,skills,languages,formats,session_minutes,years_experience,timezone,team\n"
        'm1,Ada,"Data, pipelines",python; sql ;,en;de,video;chat,15;30,12,,platform\n',
        encoding="utf-8",
    )
    result = load_mentors(path)
    assert result.ok
    mentor = result.mentors[0]
    assert mentor.skills == ["python", "sql"] and mentor.languages == ["en", "de"]
    assert mentor.formats == ["video", "chat"] and mentor.session_minutes == [15, 30]
    assert mentor.years_experience == 12 and mentor.timezone is None
    assert mentor.bio == "Data, pipelines" and mentor.extra == {"team": "platform"}


def test_csv_rows_count_the_header_as_row_one(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("\ufeffid,name,bio,years_experience\nm1,Ada,bio one,3\n"
                    "m2,Bo,,x\nm3,Cy,bio three,\n", encoding="utf-8")
    result = load_mentors(path)
    assert [m.id for m in result.mentors] == ["m1", "m3"]
    messages = sorted(str(p) for p in result.problems)
    assert messages[0].startswith(f"{path}, row 3 (id 'm2'), field 'bio'")
    assert messages[1].startswith(f"{path}, row 3 (id 'm2'), field 'years_experience'")


# -- strict -------------------------------------------------------------------------------


def test_strict_raises_with_count_and_first_problems(tmp_path: Path) -> None:
    lines: list[Any] = [good("ok")] + [good(f"bad{i}", formats=["fax"]) for i in range(7)]
    path = write_jsonl(tmp_path / "m.jsonl", lines)
    with pytest.raises(IngestError) as info:
        load_mentors(path, strict=True)
    message = str(info.value)
    assert message.startswith(f"{path}: 7 invalid records (7 problems); nothing was loaded")
    assert "line 2 (id 'bad0'), field 'formats'" in message and "... and 2 more" in message
    assert len(info.value.problems) == 7


def test_strict_passes_a_clean_source(tmp_path: Path) -> None:
    result = load_mentors(write_jsonl(tmp_path / "m.jsonl", [good("a"), good("b")]), strict=True)
    assert result.ok and len(result.mentors) == 2


@pytest.mark.parametrize("code", ["ZZ", "XX", "QQ"])
def test_a_country_code_that_no_country_has_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166-1"):
        Mentor(id="m1", name="Ana", bio="Helps with pricing.", country=code)
