"""Reading uploads: every accepted shape, the forgiving rules, and a specific message per bad input.

Figures here are either read from data/membership.csv or clearly invented (INVENTED_SOURCE).
"""
from __future__ import annotations

import zipfile

import pytest
from updates_helpers import INVENTED_SOURCE, sheet_xml, xlsx_bytes

from dashboard.core.dataset import latest_allowed_year, load_dataset
from dashboard.updates import excel
from dashboard.updates.filekind import safe_name
from dashboard.updates.ingest import MAX_PROBLEMS, Defaults, read_form, read_upload


@pytest.fixture(scope="module")
def parties():
    return load_dataset().parties


def only_problem(upload) -> str:
    assert len(upload.problems) == 1, upload.problems
    assert not upload.rows
    return str(upload.problems[0])


def figures(upload) -> list[tuple]:
    return [(r.party, r.year, r.members, r.as_of) for r in upload.rows]


# ---------------------------------------------------------------- shapes

def test_long_csv_reads_every_column(parties):
    data = (b"party,year,members,as_of,source,url,note\n"
            b"labour,2025,123456,,TEST source,https://example.org/a,invented\n"
            b"reform,2025,234567,2025-06-30,TEST source,,\n")
    upload = read_upload(data, "long.csv", parties)
    assert upload.problems == []
    assert upload.shape == "long"
    assert figures(upload) == [("labour", 2025, 123456, ""), ("reform", 2025, 234567, "2025-06-30")]
    first = upload.rows[0]
    assert (first.source, first.url, first.note, first.line) == ("TEST source", "https://example.org/a", "invented", 2)
    assert first.given == {"source", "url", "note"}


def test_wide_csv_matches_party_names_in_any_case_and_spacing(parties):
    data = b"Year,Labour,lib dems,SNP,  CONSERVATIVES ,Reform UK members\n2025,1,2,3,4,5\n"
    upload = read_upload(data, "wide.csv", parties, Defaults(source=INVENTED_SOURCE))
    assert upload.problems == []
    assert upload.shape == "wide"
    assert figures(upload) == [("labour", 2025, 1, ""), ("libdem", 2025, 2, ""), ("snp", 2025, 3, ""),
                               ("conservative", 2025, 4, ""), ("reform", 2025, 5, "")]


def test_wide_csv_skips_empty_cells_as_no_figure(parties):
    upload = read_upload(b"Year,Labour,Green\n2025,11,\n2026,,22\n", "wide.csv", parties)
    assert upload.problems == []
    assert figures(upload) == [("labour", 2025, 11, ""), ("green", 2026, 22, "")]


def test_two_column_csv_uses_the_chosen_party(parties):
    upload = read_upload(b"Year,Members\n2025,100\n", "two.csv", parties, Defaults(party="green"))
    assert upload.problems == []
    assert upload.shape == "two-column"
    assert figures(upload) == [("green", 2025, 100, "")]


def test_two_column_without_a_party_asks_for_one(parties):
    message = only_problem(read_upload(b"Year,Members\n2025,100\n", "two.csv", parties))
    assert "no party column" in message and "--party" in message and "row 1" in message


def test_title_rows_above_header_are_skipped_and_rows_keep_spreadsheet_numbers(parties):
    data = b"Labour Party membership\nInvented for a test\n\nYear,Members\n2025,100\n2026,-1\n"
    upload = read_upload(data, "titled.csv", parties, Defaults(party="labour"))
    assert figures(upload) == [("labour", 2025, 100, "")]
    assert upload.rows[0].line == 5
    assert [(p.row, p.column) for p in upload.problems] == [(6, "Members")]


@pytest.mark.parametrize("text, expected", [
    ('"309,000"', 309000), ("309 000", 309000), ('"1,234,567"', 1234567), (" 42 ", 42),
    ("309000.0", 309000), ("309\u00a0000", 309000),
])
def test_thousands_separators_spaces_and_trailing_zero_decimals_are_accepted(parties, text, expected):
    upload = read_upload(f"year,members\n2025,{text}\n".encode(), "n.csv", parties, Defaults(party="labour"))
    assert upload.problems == []
    assert upload.rows[0].members == expected


def test_unquoted_thousands_in_csv_is_caught_not_misread(parties):
    upload = read_upload(b"Year,Members\n2025,309,000\n", "q.csv", parties, Defaults(party="labour"))
    message = only_problem(upload)
    assert "row 2: has 1 more cell(s) than the header ('000')" in message and "must be in quotes" in message


def test_utf8_bom_is_ignored(parties):
    upload = read_upload("\ufeffYear,Labour\n2025,7\n".encode("utf-8"), "bom.csv", parties)
    assert upload.problems == [] and figures(upload) == [("labour", 2025, 7, "")]


def test_windows_1252_text_is_decoded(parties):
    data = "year,members,source,note\n2025,7,TEST café source,cost £5\n".encode("cp1252")
    upload = read_upload(data, "cp.csv", parties, Defaults(party="labour"))
    assert upload.problems == []
    assert (upload.rows[0].source, upload.rows[0].note) == ("TEST café source", "cost £5")


def test_utf16_with_bom_is_decoded(parties):
    upload = read_upload("Year\tLabour\n2025\t8\n".encode("utf-16"), "u16.csv", parties)
    assert upload.problems == [] and figures(upload) == [("labour", 2025, 8, "")]


def test_semicolon_delimiter_is_detected_even_with_commas_in_numbers(parties):
    upload = read_upload(b"Invented title, with a comma\nYear;Labour;SNP\n2025;309,000;1\n", "semi.csv", parties)
    assert upload.problems == []
    assert figures(upload) == [("labour", 2025, 309000, ""), ("snp", 2025, 1, "")]


def test_footnote_rows_under_the_table_are_ignored(parties):
    data = b"Year,Labour\n2025,10\n\nSource: invented for a test\n"
    upload = read_upload(data, "foot.csv", parties)
    assert upload.problems == [] and figures(upload) == [("labour", 2025, 10, "")]


def test_same_figure_twice_in_one_file_is_not_a_problem(parties):
    upload = read_upload(b"Year,Labour\n2025,10\n2025,10\n", "twice.csv", parties)
    assert upload.problems == [] and figures(upload) == [("labour", 2025, 10, "")]


def test_defaults_fill_source_url_and_note_only_where_the_file_has_none(parties):
    data = b"year,members,source\n2025,1,TEST own source\n2026,2,\n"
    defaults = Defaults(party="labour", source=INVENTED_SOURCE, url="https://example.org/", note="TEST note")
    upload = read_upload(data, "d.csv", parties, defaults)
    assert [(r.source, r.url, r.note) for r in upload.rows] == [
        ("TEST own source", "https://example.org/", "TEST note"), (INVENTED_SOURCE, "https://example.org/", "TEST note")]
    assert [r.given for r in upload.rows] == [{"source"}, set()]


def test_markup_in_text_is_kept_as_plain_text(parties):
    data = b'year,members,source,note\n2025,1,<script>alert(1)</script>,"<img src=x onerror=alert(1)>"\n'
    upload = read_upload(data, "x.csv", parties, Defaults(party="labour"))
    assert upload.rows[0].source == "<script>alert(1)</script>"
    assert upload.rows[0].note == "<img src=x onerror=alert(1)>"


def test_form_goes_through_the_same_checks(parties):
    upload = read_form({"party": "Labour", "year": "2025", "members": "123,456", "as_of": "",
                        "source": INVENTED_SOURCE, "url": "", "note": ""}, parties)
    assert upload.problems == [] and figures(upload) == [("labour", 2025, 123456, "")]
    bad = read_form({"party": "labour", "year": "2025", "members": "c. 300k", "source": INVENTED_SOURCE}, parties)
    assert [str(p) for p in bad.problems] == [
        "form, column 'members': 'c. 300k' is not a number: write the whole number of members, e.g. 309000 or 309,000"]


# ---------------------------------------------------------------- Excel

def test_xlsx_reads_number_cells_numeric_text_and_cached_formula_values(parties):
    data = xlsx_bytes({"Figures": [
        ["Year", "Labour", "Green"],
        [2025, 123456, "2,345"],
        [2026.0, ("=A1+1", 654321), ("=B2*2", 5000.0)],
    ]})
    upload = read_upload(data, "book.xlsx", parties)
    assert upload.problems == []
    assert figures(upload) == [("labour", 2025, 123456, ""), ("green", 2025, 2345, ""),
                               ("labour", 2026, 654321, ""), ("green", 2026, 5000, "")]
    assert upload.sheet == "Figures"


def test_xlsx_written_by_openpyxl_is_read(parties, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Invented test figures"])
    sheet.append([])
    sheet.append(["party", "year", "members", "source"])
    sheet.append(["Lib Dems", 2025, 1500, INVENTED_SOURCE])
    book.save(tmp_path / "b.xlsx")
    upload = read_upload((tmp_path / "b.xlsx").read_bytes(), "b.xlsx", parties)
    assert upload.problems == []
    assert figures(upload) == [("libdem", 2025, 1500, "")]
    assert upload.rows[0].line == 4


def test_xlsx_with_several_sheets_takes_the_one_with_a_year_column(parties):
    data = xlsx_bytes({"Notes": [["Invented workbook for a test"]], "Data": [["Year", "SNP"], [2025, 9]],
                       "Older": [["Year", "SNP"], [2024, 8]]})
    upload = read_upload(data, "multi.xlsx", parties)
    assert upload.problems == []
    assert upload.sheet == "Data" and upload.sheets == ("Data", "Older")
    assert figures(upload) == [("snp", 2025, 9, "")]


def test_xlsx_sheet_can_be_chosen(parties):
    data = xlsx_bytes({"Data": [["Year", "SNP"], [2025, 9]], "Older": [["Year", "SNP"], [2024, 8]]})
    upload = read_upload(data, "multi.xlsx", parties, sheet="Older")
    assert upload.sheet == "Older" and figures(upload) == [("snp", 2024, 8, "")]


def test_xlsx_unknown_sheet_lists_the_sheets(parties):
    data = xlsx_bytes({"Data": [["Year", "SNP"], [2025, 9]]})
    assert "has no sheet named 'Nope' (sheets: Data)" in only_problem(read_upload(data, "m.xlsx", parties, sheet="Nope"))


def test_xlsx_problems_name_the_sheet_row_and_column(parties):
    data = xlsx_bytes({"Data": [["Title"], [], ["Year", "Labour"], [2025, 1.5]]})
    upload = read_upload(data, "m.xlsx", parties)
    assert [str(p) for p in upload.problems] == [
        "m.xlsx, sheet 'Data', row 4, column 'Labour': '1.5' is fractional: a member count is a whole number"]


def test_xlsx_empty_formula_cell_explains_unsaved_values(parties):
    data = xlsx_bytes({"Data": [["Year", "Members"], [2025, None]]})
    message = only_problem(read_upload(data, "m.xlsx", parties, Defaults(party="labour")))
    assert "is empty" in message and "open and save the file in Excel" in message


# ---------------------------------------------------------------- not CSV or XLSX

@pytest.mark.parametrize("content, name, expected", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "figures.csv", "is a PDF document, not a CSV or Excel .xlsx file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "figures.xlsx", "is a PNG image, not a CSV or Excel .xlsx file"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "figures.csv", "is a JPEG image"),
    (b"\x00\x01\x02\x03binary\x00stuff", "figures.csv", "is binary data"),
    (b"year,members\n", "figures.pdf", "has the unsupported type '.pdf'"),
])
def test_files_that_are_not_csv_or_xlsx_are_refused_by_content(parties, content, name, expected):
    assert expected in only_problem(read_upload(content, name, parties))


@pytest.mark.parametrize("content, name", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "renamed.xlsx"),
    (b"Year,Labour\n2025,1\n", "text-saved-as.xls"),
])
def test_legacy_xls_is_refused_with_how_to_fix(parties, content, name):
    message = only_problem(read_upload(content, name, parties))
    assert "legacy Excel .xls" in message and "save it as .xlsx or CSV" in message


def test_a_zip_that_is_not_a_workbook_is_refused(parties):
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "is a Word document, not an Excel .xlsx workbook" in only_problem(read_upload(buffer.getvalue(), "f.xlsx", parties))


def test_text_in_neither_utf8_nor_windows_1252_is_refused(parties):
    message = only_problem(read_upload(b"Year,Labour\n2025,\x81\x8d\n", "f.csv", parties))
    assert "not text in UTF-8 or Windows-1252" in message


# ---------------------------------------------------------------- empty and header problems

@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \r\n\n", b"\xef\xbb\xbf\n"])
def test_empty_file_is_refused(parties, content):
    assert "is empty" in only_problem(read_upload(content, "empty.csv", parties))


def test_workbook_without_cells_is_refused_as_empty(parties):
    assert "is empty: no sheet has any cells" in only_problem(read_upload(xlsx_bytes({"S": []}), "e.xlsx", parties))


def test_no_year_column_says_what_was_found(parties):
    message = only_problem(read_upload(b"Party,Members\nLabour,1\n", "ny.csv", parties))
    assert message == ("ny.csv: has no 'year' column: looked for a header row with 'Year' in the first 30 rows; "
                       "the first row has 'Party', 'Members'")


def test_workbook_with_no_year_column_lists_its_sheets(parties):
    message = only_problem(read_upload(xlsx_bytes({"A": [["x"]], "B": [["y"]]}), "ny.xlsx", parties))
    assert "has no 'year' column in any sheet (sheets: A, B)" in message


def test_header_without_rows_is_reported(parties):
    assert "has a header but no figures under it" in only_problem(read_upload(b"Year,Labour\n", "h.csv", parties))


# ---------------------------------------------------------------- bad values

@pytest.mark.parametrize("year, expected", [
    ("1899", "1899 is outside 1900 to"), (str(latest_allowed_year() + 1), "is outside 1900 to"),
    ("2024/25", "'2024/25' is not a year"),
])
def test_years_outside_1900_to_next_year_are_refused(parties, year, expected):
    upload = read_upload(f"Year,Labour\n{year},1\n".encode(), "y.csv", parties)
    assert expected in only_problem(upload)
    assert upload.problems[0].row == 2 and upload.problems[0].column == "Year"


@pytest.mark.parametrize("members, expected", [
    ("-5", "'-5' is negative: a member count is zero or more"),
    ("-1,000", "'-1,000' is negative"),
    ("1234.5", "'1234.5' is fractional: a member count is a whole number"),
    ("c. 300k", "'c. 300k' is not a number"),
    ("3O9,000", "'3O9,000' is not a number"),
    ("309.000", "'309.000' is ambiguous"),
])
def test_member_counts_that_are_negative_fractional_or_text_are_refused(parties, members, expected):
    upload = read_upload(f'year,members\n2025,"{members}"\n'.encode(), "m.csv", parties, Defaults(party="labour"))
    assert expected in only_problem(upload)
    assert (upload.problems[0].row, upload.problems[0].column) == (2, "members")


def test_two_different_values_for_one_party_and_year_are_refused_with_both_rows(parties):
    upload = read_upload(b"party,year,members,source\nlabour,2025,100,t\nLabour,2025,101,t\n", "dup.csv", parties)
    assert [str(p) for p in upload.problems] == [
        "dup.csv, row 3, column 'members': two different figures for labour 2025 year-end in this file: 100 on row 2 and 101 here"]


def test_unknown_party_in_a_long_file_is_named_with_the_known_ones(parties):
    upload = read_upload(b"party,year,members,source\nMonster Raving Loony,2025,1,t\n", "u.csv", parties)
    message = only_problem(upload)
    assert "unknown party 'Monster Raving Loony'" in message
    assert "Labour (labour)" in message and "Reform UK (reform)" in message


def test_unknown_party_column_in_a_wide_file_is_named(parties):
    upload = read_upload(b"Year,Labour,Whigs\n2025,1,2\n", "u.csv", parties)
    assert [p.column for p in upload.problems] == ["Whigs"]
    assert "unknown party 'Whigs' (known: Labour (labour)" in str(upload.problems[0])


def test_url_must_be_a_web_address(parties):
    data = b"year,members,source,url\n2025,1,t,javascript:alert(1)\n"
    message = only_problem(read_upload(data, "u.csv", parties, Defaults(party="labour")))
    assert "is not a web address starting with http:// or https://" in message


def test_as_of_outside_the_figure_year_is_refused(parties):
    data = b"year,members,source,as_of\n2025,1,t,2024-05-01\n"
    assert "2024-05-01 is not in the figure's year 2025" in only_problem(read_upload(data, "a.csv", parties, Defaults(party="labour")))


def test_problem_list_is_bounded(parties):
    data = b"Year,Labour\n" + b"".join(b"%d,bad\n" % (1900 + i % 100) for i in range(1000))
    upload = read_upload(data, "many.csv", parties)
    assert len(upload.problems) == MAX_PROBLEMS + 1
    assert "and 900 more problems" in str(upload.problems[-1])


# ---------------------------------------------------------------- size and hostile files

def test_file_over_the_size_limit_is_refused_with_the_limit(parties):
    data = b"Year,Labour\n" + b"2025,1\n" * 200
    message = only_problem(read_upload(data, "big.csv", parties, max_bytes=1024))
    assert message == "big.csv: is 1.4 KB, over the 1 KB limit"


def test_default_size_limit_is_5_mb(parties):
    data = b"Year,Labour\n" + b"2025,1\n" * (5 * 1024 * 1024 // 7 + 10)
    assert "over the 5 MB limit" in only_problem(read_upload(data, "big.csv", parties))


def test_zip_bomb_is_refused_before_it_is_unpacked(parties):
    bomb = sheet_xml([["Year", "Labour"]]).replace("</worksheet>", " " * (30 * 1024 * 1024) + "</worksheet>")
    data = xlsx_bytes({"S": bomb})
    assert len(data) < 1024 * 1024
    message = only_problem(read_upload(data, "bomb.xlsx", parties))
    assert "looks like a zip bomb" in message and "refusing to open it" in message


def test_workbook_expanding_past_the_limit_is_refused(parties, monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNCOMPRESSED_BYTES", 2000)
    data = xlsx_bytes({"S": [["Year", "Labour"]] + [[2000 + i % 20, i] for i in range(50)]})
    assert "when unpacked (limit" in only_problem(read_upload(data, "big.xlsx", parties))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol3;</t></si></sst>"""


def test_xml_entity_declarations_are_refused_before_parsing(parties):
    data = xlsx_bytes({"S": [["Year", "Labour"], [2025, 1]]}, extra={"xl/sharedStrings.xml": BILLION_LAUGHS})
    message = only_problem(read_upload(data, "lol.xlsx", parties))
    assert "DOCTYPE/ENTITY declaration in 'xl/sharedStrings.xml'" in message


def test_defusedxml_stops_entities_that_the_prescan_misses(parties, monkeypatch):
    monkeypatch.setattr(excel, "PROLOG_BYTES", 8)  # blind the first line of defence
    sheet = BILLION_LAUGHS.replace("<sst", "<worksheet").replace(
        '<si><t>&lol3;</t></si></sst>', '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
    data = xlsx_bytes({"S": sheet})
    message = only_problem(read_upload(data, "lol.xlsx", parties))
    assert "XML entity" in message


def test_absurd_sheet_dimensions_are_read_only_within_the_row_and_column_bounds(parties, monkeypatch):
    """A sheet claiming 1,048,576 rows × 16,384 columns: openpyxl is asked for no more than the bounds
    (counted, not timed: a time limit in a test fails on a loaded machine, and says less)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<dimension ref="A1:XFD1048576"/><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>Year</t></is></c><c r="B1" t="inlineStr"><is><t>Labour</t></is></c></row>'
             '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    reads: list[list[int]] = []  # the width of each row openpyxl made, one list per pass over the sheet
    original = ReadOnlyWorksheet._cells_by_row

    def counted(self, *args, **kwargs):
        reads.append([])
        for row in original(self, *args, **kwargs):
            reads[-1].append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted)
    upload = read_upload(xlsx_bytes({"S": sheet}), "huge.xlsx", parties)
    assert any("has more than 200,000 rows (the limit)" in str(p) for p in upload.problems)
    assert reads and max(len(read) for read in reads) == excel.MAX_ROWS + 1  # read up to the bound, then stopped
    assert max(max(read) for read in reads) <= excel.MAX_COLUMNS + 1


def test_too_many_columns_is_reported(parties):
    header = ",".join(["Year", "Labour"] + [""] * 150 + ["x"])
    upload = read_upload(f"{header}\n2025,1\n".encode(), "w.csv", parties)
    assert any("more than 100 columns" in str(p) for p in upload.problems)


def test_client_supplied_directories_are_dropped_from_the_name():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\me\\figures.csv") == "figures.csv"
    assert safe_name("a\x00b\nc.csv") == "abc.csv"


# ---------------------------------------------------------------- basis

@pytest.mark.parametrize("written, basis", [
    ("accounts", "accounts"), ("Audited accounts", "accounts"), ("Electoral Commission", "accounts"),
    ("party report", "party_report"), ("NEC report", "party_report"), ("party_report", "party_report"),
    ("Compiled", "compiled"), ("Wikipedia", "compiled"),
    ("press", "press"), ("leak", "press"), ("Leaked", "press"),
    ("party claim", "party_claim"), ("Claim", "party_claim"), ("live counter", "party_claim"), ("PARTY-CLAIM", "party_claim"),
    ("", ""),
])
def test_a_basis_is_read_as_people_write_it(parties, written, basis):
    data = f"party,year,members,basis\nlabour,2025,123456,{written}\n".encode()
    upload = read_upload(data, "b.csv", parties, Defaults(source=INVENTED_SOURCE))
    assert upload.problems == [] and [r.basis for r in upload.rows] == [basis]


def test_an_unknown_basis_is_a_located_problem_naming_the_accepted_ones(parties):
    data = b"party,year,members,Basis\nlabour,2025,123456,rumour\n"
    upload = read_upload(data, "b.csv", parties, Defaults(source=INVENTED_SOURCE))
    [problem] = upload.problems
    assert (problem.row, problem.column) == (2, "Basis") and not upload.rows
    assert "unknown basis 'rumour'" in problem.message
    assert all(slug in problem.message for slug in ("accounts", "party_report", "compiled", "press", "party_claim"))


def test_the_file_basis_wins_over_the_default_and_the_default_fills_the_rest(parties):
    data = b"party,year,members,basis\nlabour,2025,1,press\nreform,2025,2,\n"
    upload = read_upload(data, "b.csv", parties, Defaults(source=INVENTED_SOURCE, basis="party_claim"))
    assert [(r.party, r.basis, "basis" in r.given) for r in upload.rows] == [("labour", "press", True),
                                                                            ("reform", "party_claim", False)]


def test_the_form_takes_a_basis_through_the_same_checks(parties):
    fields = {"party": "labour", "year": "2025", "members": "5", "source": INVENTED_SOURCE, "basis": "leak"}
    assert [r.basis for r in read_form(fields, parties).rows] == ["press"]
    bad = read_form({**fields, "basis": "gossip"}, parties)
    assert [(p.column, "unknown basis 'gossip'" in p.message) for p in bad.problems] == [("basis", True)]
