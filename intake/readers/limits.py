"""The limits on an uploaded file, in one place: what no plan document exceeds."""

MAX_BYTES = 20 * 1024 * 1024  # the file itself
MAX_PAGES = 2000  # pages of a PDF
MAX_UNPACKED = 200 * 1024 * 1024  # all members of a .docx/.xlsx zip together, uncompressed
MAX_MEMBERS = 10_000  # members of a .docx/.xlsx zip
MAX_RATIO = 200  # uncompressed / compressed size of a large zip member; Office XML stays far below
RATIO_FLOOR = 1024 * 1024  # members smaller than this unpacked are not checked for their ratio
MAX_SHEET_ROWS = 100_000  # rows read from a worksheet
