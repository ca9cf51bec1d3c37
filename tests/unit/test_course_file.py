"""The course file format (SPEC §8): what is accepted and how problems are reported."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from openpyxl import Workbook

from bot.domain import Audience, CourseFormat
from bot.services.course_file import CourseFileError, parse_course_table, read_table
from tests.conftest import DEMO_CSV, ISTANBUL

HEADER = "kod;ad;brans;ilce;merkez;baslangic;bitis;gunler;saat;kontenjan"
GOOD = "BUC-MUH-01;Ön Muhasebe;Muhasebe ve Finans;Buca;Buca Mahalle Konağı;2026-12-01;" \
       "2027-02-26;Pzt,Çar,Cum;18:30-21:00;20"


def parse(text: str, name: str = "kurslar.csv") -> list:
    return parse_course_table(read_table(name, text.encode("utf-8")), ISTANBUL)


def problems(text: str) -> list[str]:
    with pytest.raises(CourseFileError) as error:
        parse(text)
    return [f"{p.row}:{p.column}" for p in error.value.problems]


def test_the_demo_file_is_valid_and_covers_izmir() -> None:
    drafts = parse_course_table(read_table(DEMO_CSV.name, DEMO_CSV.read_bytes()), ISTANBUL)
    assert len(drafts) >= 40
    assert len({d.district for d in drafts if d.district}) == 30
    assert len({d.branch for d in drafts}) >= 8
    located = {(d.district, d.centre) for d in drafts if d.latitude is not None}
    assert len(located) >= 12
    assert sum(d.format is CourseFormat.ONLINE for d in drafts) == 2
    assert sum(d.audience is Audience.STAFF for d in drafts) == 2
    assert any("&" in d.name and "<" in d.name for d in drafts)


def test_a_semicolon_file_with_bom_as_excel_writes_it() -> None:
    content = ("\ufeff" + HEADER + "\r\n" + GOOD + "\r\n").encode("utf-8")
    [draft] = parse_course_table(read_table("x.csv", content), ISTANBUL)
    assert draft.code == "BUC-MUH-01"
    assert draft.weekdays == frozenset({0, 2, 4})
    assert (draft.start_time, draft.end_time) == (time(18, 30), time(21, 0))
    assert draft.start_date == date(2026, 12, 1)


def test_comma_separated_headers_in_any_order_and_case() -> None:
    text = ("KONTENJAN,Kod,ad,brans,ilce,merkez,baslangic,bitis,gunler,saat\n"
            "15,urla-bag-1,Bağcılık,Tarım,Urla,Urla Konağı,01.12.2026,01.03.2027,"
            "\"Pazartesi, Çarşamba\",09:00-12:00\n")
    [draft] = parse(text)
    assert draft.code == "URLA-BAG-1"
    assert draft.capacity == 15
    assert draft.start_date == date(2026, 12, 1)
    assert draft.weekdays == frozenset({0, 2})


def test_every_problem_is_reported_at_once_with_spreadsheet_rows() -> None:
    bad = ("X;;Muhasebe;Buca;Merkez;2026-02-30;2026-01-01;Pzt,Funday;21:00-18:00;0\n"
           + GOOD + "\n" + GOOD + "\n")
    found = problems(HEADER + "\n" + bad)
    assert "2:ad" in found
    assert "2:baslangic" in found
    assert "2:gunler" in found
    assert "2:saat" in found
    assert "2:kontenjan" in found
    assert "4:kod" in found  # the same code as row 3


def test_missing_required_columns_are_named() -> None:
    assert problems("kod;ad\nA;B\n") == [
        f"1:{c}" for c in ("brans", "ilce", "merkez", "baslangic", "bitis", "gunler", "saat",
                           "kontenjan")
    ]


def test_an_online_course_needs_an_https_link_but_no_centre() -> None:
    header = HEADER + ";bicim;baglanti"
    ok = "ONL-1;Excel;Bilişim;;;2026-12-01;2027-01-01;Sal;19:00-21:00;100;cevrimici;" \
         "https://egitim.example.org/excel"
    [draft] = parse(header + "\n" + ok + "\n")
    assert draft.format is CourseFormat.ONLINE and draft.centre is None
    no_link = ok.rsplit(";", 1)[0] + ";javascript:alert(1)"
    assert problems(header + "\n" + no_link + "\n") == ["2:baglanti"]


def test_optional_columns() -> None:
    header = HEADER + ";yas_alt;kayit_baslangic;hedef;enlem;boylam"
    row = GOOD + ";18;2026-11-25 10:00;personel;38,38861;27.17540"
    [draft] = parse(header + "\n" + row + "\n")
    assert draft.min_age == 18
    assert draft.audience is Audience.STAFF
    assert draft.latitude == pytest.approx(38.38861)
    assert draft.registration_opens_at is not None
    assert draft.registration_opens_at.isoformat() == "2026-11-25T07:00:00+00:00"
    assert problems(header + "\n" + GOOD + ";200;soon;herkes;38.4;\n") == [
        "2:yas_alt", "2:kayit_baslangic", "2:hedef", "2:boylam"]


def test_an_xlsx_first_sheet_with_real_dates_and_numbers() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    cells: list[object] = GOOD.split(";")
    cells[5], cells[6], cells[9] = date(2026, 12, 1), date(2027, 2, 26), 20.0
    sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    [draft] = parse_course_table(read_table("k.xlsx", buffer.getvalue()), ISTANBUL)
    assert draft.capacity == 20 and draft.start_date == date(2026, 12, 1)


def test_files_that_are_not_course_tables() -> None:
    with pytest.raises(CourseFileError):
        read_table("k.csv", b"\xff\xfe\x00bad")
    with pytest.raises(CourseFileError):
        read_table("k.xlsx", b"not a zip")
    assert problems("") == ["1:-"]
    assert problems(HEADER + "\n;;;\n") == ["2:-"]


def test_a_zip_bomb_dressed_as_xlsx_is_refused_before_openpyxl_opens_it() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024
    with pytest.raises(CourseFileError) as error:
        read_table("kurslar.xlsx", buffer.getvalue())
    assert "unpacks to more than" in error.value.problems[0].message


def test_binary_junk_is_refused_clearly_as_xlsx_and_as_csv() -> None:
    junk = bytes(range(256)) * 100
    for name, words in (("x.xlsx", "not a readable XLSX"), ("x.csv", "not UTF-8 text")):
        with pytest.raises(CourseFileError) as error:
            read_table(name, junk)
        assert words in error.value.problems[0].message
    with pytest.raises(CourseFileError):
        read_table("x.csv", b"kod\x00;ad\n")


def test_a_file_of_10000_rows_is_refused_for_its_length_before_its_rows_are_read() -> None:
    text = "\n".join([HEADER, *([GOOD] * 10000)])
    with pytest.raises(CourseFileError) as error:
        parse(text)
    assert error.value.problems[0].message == "At most {limit} rows at once."


def test_one_cell_is_checked_by_the_same_rules_as_the_file() -> None:
    from bot.services.course_file import InvalidCell, check_cell

    assert check_cell("kod", " buc-web-1 ") == "BUC-WEB-1"
    assert check_cell("ad", "  Web   Tasarım ") == "Web Tasarım"
    for column, bad in (("saat", "21:00-09:00"), ("kontenjan", "0"), ("gunler", "Pzr"),
                        ("baslangic", "31.02.2027"), ("baglanti", "http://x.org"),
                        ("ad", "x" * 201)):
        with pytest.raises(InvalidCell):
            check_cell(column, bad)
