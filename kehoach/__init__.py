"""kehoach: văn bản hành chính (Nghị định 30/2020/NĐ-CP) từ YAML ra DOCX."""

__version__ = "0.1.0"
