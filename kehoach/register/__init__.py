"""The outgoing register (sổ đăng ký văn bản đi, Decree 30/2020/NĐ-CP Art. 15–16, Phụ lục IV).

store.py: the schema and statements, shared by sqlite.py (default: one file) and postgres.py (an office's
server); numbering.py: `--cap-so` for render and batch; export.py: the register as the form, in Excel.
"""
