"""Writers: the tree laid out as DOCX (and PDF), file names and safe writes."""
