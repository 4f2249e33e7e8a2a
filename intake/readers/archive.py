"""The zip container of .docx/.xlsx, checked before anything is extracted: a zip bomb (a huge
member of zeros compressed to a few kilobytes) is refused from the zip directory's sizes."""
import io
import zipfile

from intake.parsing import PlanImportError

from .errors import library_errors
from .limits import MAX_MEMBERS, MAX_RATIO, MAX_UNPACKED, RATIO_FLOOR

BOMB = "文件解压后异常巨大（疑似“压缩炸弹”），已拒绝：请确认这是 Word 或 Excel 正常保存的文件"


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip archive of a .docx/.xlsx after its directory passed ``check_sizes``."""
    with library_errors(f"{kind} 文件已损坏或不完整（无法作为压缩包打开），请重新保存后上传"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    check_sizes(members)
    return archive


def check_sizes(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise PlanImportError(BOMB)
    if sum(member.file_size for member in members) > MAX_UNPACKED:
        raise PlanImportError(BOMB)
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise PlanImportError(BOMB)


def member_names(archive: zipfile.ZipFile) -> set[str]:
    return {member.filename for member in archive.infolist()}
