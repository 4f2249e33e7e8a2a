"""Bad files: each gets a clear Chinese message saying what to do (a ``PlanImportError``), never a
traceback from a library."""
import io
import os
import zipfile

import pytest

from intake.parsing import PlanImportError, text_document
from intake.readers import read_document
from intake.readers.archive import check_sizes
from intake.readers.limits import MAX_BYTES, MAX_UNPACKED
from tests.intake.render_files import cjk_font, docx_bytes, pdf_bytes

PLAN = "某区科技创新规划\n一、基础与形势\n科技投入持续加大。\n"


def refused(data: bytes, name: str) -> str:
    with pytest.raises(PlanImportError) as caught:
        read_document(data, name)
    return caught.value.message


def minimal_pdf(**options) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if options.get("password"):
        pdf.set_encryption(owner_password="owner", user_password=options["password"])
    pdf.add_page()
    if options.get("image"):
        pdf.image(options["image"], x=10, y=10, w=100)
    else:
        pdf.add_font("cjk", fname=str(cjk_font(PLAN)))
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(0, 8, PLAN)
    return bytes(pdf.output())


def png(tmp_path) -> str:
    from PIL import Image

    path = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(path)
    return str(path)


def test_it_refuses_an_empty_file():
    assert "文件为空" in refused(b"", "plan.docx")
    assert "文件为空" in refused(b"  \n", "plan.txt")


def test_it_refuses_random_bytes_of_no_known_kind():
    assert "无法识别的文件类型" in refused(os.urandom(4096), "plan.bin")
    assert "不是文本文件" in refused(bytes(range(256)) * 8, "plan.txt")


@pytest.mark.parametrize("name", ["plan.doc", "plan.wps", "plan.docx"])
def test_it_asks_to_save_an_old_word_or_wps_file_as_docx(name):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 2048
    assert "请在 Word 或 WPS 中另存为 .docx 后上传" in refused(ole2, name)


def test_it_asks_to_save_an_old_excel_file_as_xlsx():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 2048
    assert "另存为 .xlsx" in refused(ole2, "plan.xls")


def test_it_refuses_an_encrypted_docx():
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 99
    assert "加密" in refused(encrypted, "plan.docx")


def test_it_refuses_an_encrypted_pdf():
    assert "PDF 文件已加密" in refused(minimal_pdf(password="secret"), "plan.pdf")


def test_it_reads_a_pdf_encrypted_without_an_opening_password():
    document = read_document(minimal_pdf(password=""), "plan.pdf")
    assert document.blocks[0].text == "某区科技创新规划"


def test_it_says_a_scanned_pdf_needs_ocr(tmp_path):
    message = refused(minimal_pdf(image=png(tmp_path)), "scan.pdf")
    assert message.startswith("扫描版 PDF 没有文字层，需要先做文字识别（OCR）")


def test_it_refuses_a_truncated_pdf():
    data = pdf_bytes(text_document(PLAN))
    for cut in (len(data) // 2, 200, 20):
        assert "PDF" in refused(data[:cut], "plan.pdf")


def test_it_refuses_a_pdf_that_is_only_a_header():
    assert "PDF 文件已损坏" in refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "plan.pdf")


def test_it_refuses_a_zip_bomb_posing_as_a_docx(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(1024):  # 1 GB of zeros, a megabyte or so compressed
                member.write(block)
    data = path.read_bytes()
    assert len(data) < MAX_BYTES
    assert "压缩炸弹" in refused(data, "bomb.docx")
    assert "压缩炸弹" in refused(data, "bomb.xlsx")


def test_it_checks_the_unpacked_size_and_the_ratio_of_each_member():
    def member(size, compressed):
        info = zipfile.ZipInfo("word/document.xml")
        info.file_size, info.compress_size = size, compressed
        return info

    check_sizes([member(5_000_000, 400_000)])  # ordinary XML: about 10 to 1
    for members in ([member(MAX_UNPACKED // 2, MAX_UNPACKED // 4)] * 3, [member(500_000_000, 500_000)],
                    [member(10, 10)] * 20_000):
        with pytest.raises(PlanImportError, match="压缩炸弹"):
            check_sizes(members)


def test_it_refuses_a_docx_without_its_document_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<styles/>")
    assert "缺少正文" in refused(buffer.getvalue(), "plan.docx")


def test_it_refuses_a_docx_with_broken_xml():
    data = docx_bytes(text_document(PLAN))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, content[: len(content) // 2] if item.filename == "word/document.xml" else content)
    assert ".docx 文件已损坏" in refused(broken.getvalue(), "plan.docx")


def test_it_refuses_a_truncated_docx():
    data = docx_bytes(text_document(PLAN))
    assert "损坏" in refused(data[: len(data) // 2], "plan.docx")


def test_it_refuses_a_file_over_the_size_limit():
    data = b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024)
    assert "超过 20 MB" in refused(data, "big.pdf")


def test_it_refuses_a_pdf_over_the_page_limit(monkeypatch):
    monkeypatch.setattr("intake.readers.pdf.MAX_PAGES", 2)
    monkeypatch.setattr("intake.readers.pdf.TOO_MANY_PAGES", "PDF 超过 2 页")
    data = pdf_bytes(text_document((PLAN * 2 + "科技投入持续加大，" * 400 + "。\n") * 3))
    assert "PDF 超过 2 页" in refused(data, "long.pdf")


def test_it_refuses_an_xlsx_without_an_indicator_table():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["项目", "金额"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert "没有找到指标表" in refused(buffer.getvalue(), "plan.xlsx")


@pytest.mark.parametrize("seed", range(30))
def test_it_never_raises_anything_but_a_plan_import_error_on_damaged_files(seed):
    import random

    rng = random.Random(seed)
    source = [docx_bytes(text_document(PLAN)), minimal_pdf()][seed % 2]
    data = bytearray(source)
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    try:
        document = read_document(bytes(data), ["plan.docx", "plan.pdf"][seed % 2])
    except PlanImportError as error:
        assert error.message
    else:  # damage the reader survives still gives blocks of text
        assert document.format in ("docx", "pdf") and document.blocks
