"""YAML text → plain data plus the line and column of every key and value. No defaults, no validation.

Every plain scalar is read as text (only `~`, `null` and an empty value are None): YAML 1.1 would
read `so: 010` as 8, `no` as False and `08` as an error, and a clerk means none of that. The model
turns text into numbers, dates and booleans where a field asks for them, with an error that says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kehoach.errors import InputError, Problem, Where
from kehoach.textcodec import read_text_file

Path_ = tuple[str | int, ...]  # a place in the data: keys and list indices

# A plan has a few hundred nodes; this bound stops "billion laughs" alias bombs long before memory does.
MAX_NODES = 100_000


class _TextLoader(yaml.SafeLoader):
    """Safe loader whose only implicit type is null."""


_TextLoader.yaml_implicit_resolvers = {}
_TextLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


@dataclass
class Document:
    """A loaded YAML file: its data, and where each key and value stands in the file."""

    file: str
    data: object
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path → (line, column), 1-based
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path of a mapping entry → its key
    # Values put in from elsewhere (a batch row's cells): their path → where they came from.
    overrides: dict[Path_, Where] = field(default_factory=dict)

    def where(self, path: Path_, key: bool = False) -> Where:
        """The position of a path's value (or key); for a path that is not in the file, its nearest parent."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.overrides:
                return self.overrides[path[:cut]]
            found = table.get(path[:cut]) or self.values.get(path[:cut])
            if found:
                return Where(self.file, *found)
        return Where(self.file, 1, 1)


# PyYAML's problem texts → what a clerk should read, and how to fix it.
_SYNTAX_MESSAGES = [
    ("found character '\\t'", "có ký tự Tab ở đầu dòng",
     "YAML chỉ chấp nhận dấu cách để thụt lề: thay Tab bằng dấu cách (Notepad++: Edit → Blank Operations → TAB to Space)"),
    ("found unknown escape character", "trong ngoặc kép có dấu \\ không hợp lệ",
     "dùng ngoặc đơn ' … ' thay cho ngoặc kép, hoặc viết \\\\ thay cho \\"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường",
     "viết dạng `ten_truong: giá trị`, có dấu cách sau dấu hai chấm"),
    ("mapping values are not allowed here", "có dấu hai chấm ở chỗ không được phép",
     "nếu giá trị có dấu hai chấm, đặt cả giá trị trong ngoặc kép \"…\"; hoặc kiểm tra lại thụt lề"),
    ("expected <block end>, but found", "thụt lề không khớp với các dòng phía trên",
     "các mục cùng cấp phải thụt lề bằng nhau (cùng số dấu cách)"),
    ("did not find expected '-' indicator", "thụt lề của danh sách không khớp",
     "các dòng bắt đầu bằng '- ' trong cùng danh sách phải thẳng cột với nhau"),
    ("did not find expected key", "thụt lề không khớp với các dòng phía trên",
     "các trường cùng cấp phải thụt lề bằng nhau (cùng số dấu cách)"),
    ("found undefined alias", "dùng tham chiếu (*ten) chưa được định nghĩa",
     "định nghĩa &ten trước khi dùng *ten, hoặc bỏ dấu * ở đầu giá trị"),
    ("found character '@'", "giá trị không được bắt đầu bằng @ hoặc `",
     "đặt giá trị trong ngoặc kép \"…\""),
    ("found character '`'", "giá trị không được bắt đầu bằng @ hoặc `",
     "đặt giá trị trong ngoặc kép \"…\""),
]


_UNCLOSED_QUOTE = ("dấu ngoặc kép mở ở đây chưa được đóng",
                   "thêm dấu \" (hoặc ') ở cuối đoạn văn bản đã mở ngoặc, trên cùng dòng này")


def _unclosed_quote(text: str) -> yaml.ScalarToken | None:
    """The first quoted text that ran over a line end before a syntax error: almost always a missing quote.

    A clerk's quoted values fit on one line; when one runs on, YAML swallows the following lines and
    fails somewhere below, so the place to show is where the quote opened.
    """
    try:
        for token in yaml.scan(text, Loader=_TextLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.end_mark.line > token.start_mark.line:
                return token
    except yaml.YAMLError:
        pass
    return None


def _syntax_problem(file: str, error: yaml.MarkedYAMLError, text: str) -> Problem:
    if "while scanning a quoted scalar" in str(error.context) and error.context_mark:
        mark = error.context_mark
        return Problem(Where(file, mark.line + 1, mark.column + 1), f"lỗi cú pháp YAML: {_UNCLOSED_QUOTE[0]}",
                       _UNCLOSED_QUOTE[1])
    quoted = _unclosed_quote(text)
    if quoted is not None:
        mark = quoted.start_mark
        return Problem(Where(file, mark.line + 1, mark.column + 1), f"lỗi cú pháp YAML: {_UNCLOSED_QUOTE[0]}",
                       _UNCLOSED_QUOTE[1])
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    text = f"{error.context or ''} {error.problem or ''}"
    for needle, message, hint in _SYNTAX_MESSAGES:
        if needle in text:
            return Problem(Where(file, line, column), f"lỗi cú pháp YAML: {message}", hint)
    return Problem(Where(file, line, column), f"lỗi cú pháp YAML ({error.problem})",
                   "kiểm tra thụt lề, dấu hai chấm và dấu ngoặc kép ở dòng này và dòng trên")


class _Builder:
    """Builds plain data from the node graph, recording positions and collecting problems."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []
        self.count = 0

    def build(self, node: yaml.Node, path: Path_) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(Problem(Where(self.doc.file, node.start_mark.line + 1, node.start_mark.column + 1),
                                     f"tệp quá lớn hoặc dùng tham chiếu (&/*) lồng nhau quá nhiều (hơn {MAX_NODES:,} mục)",
                                     "một kế hoạch chỉ cần vài trăm mục: bỏ các tham chiếu & và * lặp lại"))
        self.doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag.startswith("!") or node.tag.startswith("tag:yaml.org,2002:python"):  # !!python/…, !tag
            self.problems.append(Problem(self.doc.where(path), f"không dùng được kiểu dữ liệu {node.tag}",
                                         "bỏ thẻ ! hoặc !! ở đầu giá trị và viết giá trị như văn bản thường"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:null":
            return None
        if node.tag != "tag:yaml.org,2002:str":
            self.problems.append(Problem(self.doc.where(path),
                                         f"không dùng được kiểu dữ liệu {node.tag}",
                                         "bỏ thẻ !! ở đầu giá trị và viết giá trị như văn bản thường"))
        return node.value

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *base" merges a shared block
                merged = self.build(value_node, path)
                for source in merged if isinstance(merged, list) else [merged]:
                    if isinstance(source, dict):
                        for k, v in source.items():
                            out.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(Where(self.doc.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                                             "tên trường phải là một từ", "viết tên trường dạng `ten_truong:`"))
                continue
            key = key_node.value
            here = (*path, key)
            mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out and here in self.doc.keys:
                first = self.doc.keys[here][0]
                self.problems.append(Problem(Where(self.doc.file, *mark), f"trường '{key}' bị lặp lại (đã có ở dòng {first})",
                                             "xóa một trong hai dòng, hoặc gộp nội dung của chúng"))
                continue
            self.doc.keys[here] = mark
            out[key] = self.build(value_node, here)
        return out


def load_text(text: str, file: str) -> Document:
    """Parse YAML text into a Document; raises InputError with every problem found."""
    doc = Document(file, None)
    try:
        node = yaml.compose(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as error:
        raise InputError(_syntax_problem(file, error, text)) from None
    except yaml.YAMLError as error:  # e.g. a control character in the text
        raise InputError(Problem(Where(file, 1, 1), f"tệp YAML không đọc được ({error})",
                                 "lưu lại tệp dạng văn bản UTF-8")) from None
    if node is None:
        raise InputError(Problem(Where(file, 1, 1), "tệp rỗng", "viết nội dung văn bản vào tệp (xem `kehoach new`)"))
    builder = _Builder(doc)
    doc.data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return doc


def load_file(path: Path) -> Document:
    """Read and parse a YAML file."""
    return load_text(read_text_file(path), str(path))
