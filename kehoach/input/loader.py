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
from kehoach.input.textcodec import UnusableCharacter, clean_text, line_column, read_text_file

Path_ = tuple[str | int, ...]  # a place in the data: keys and list indices

# A plan has a few hundred nodes; this bound stops "billion laughs" alias bombs long before memory does.
MAX_NODES = 100_000
# Characters of all values once aliases (*ten) are expanded: twice the largest file read (2 MB), far
# beyond any plan; a long text repeated by aliases would otherwise be written out again and again.
MAX_CHARACTERS = 4_000_000
# Lists and groups inside one another: a plan's deepest part (mục → khoản → tiết → điểm → gạch → cộng)
# is some fifteen; the parser and the checks recurse once per level and must stay far from Python's limit.
MAX_DEPTH = 60


class _TooDeep(yaml.MarkedYAMLError):
    """More than MAX_DEPTH lists and groups inside one another."""


class _TextLoader(yaml.SafeLoader):
    """Safe loader whose only implicit type is null, and which refuses nesting deeper than MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001,ANN201 - PyYAML's own signature
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(problem="too deep", problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_TextLoader.yaml_implicit_resolvers = {}
_TextLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


@dataclass
class LoadedFile:
    """A loaded YAML file: its data, and where each key and value stands in the file."""

    file: str
    data: object
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path → (line, column), 1-based
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path of a mapping entry → its key
    # Texts written as a block (`ten: |`): their path → where the text's first line is, below the `|`.
    blocks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path_, key: bool = False) -> Where | None:
        """The position of exactly this path's value (or key), if the file has it."""
        found = (self.keys.get(path) if key else None) or self.values.get(path)
        return Where(self.file, *found) if found else None

    def where(self, path: Path_, key: bool = False) -> Where:
        """The position of a path's value (or key); for a path that is not in the file, its nearest parent."""
        for cut in range(len(path), -1, -1):
            if found := self.at(path[:cut], key):
                return found
        return Where(self.file, 1, 1)

    def text_start(self, path: Path_) -> Where:
        """Where the text of a value begins: below the `|` of a block, else where the value is."""
        if path in self.blocks:
            return Where(self.file, *self.blocks[path])
        return self.where(path)


# What a clerk reads for the problems PyYAML words in several ways.
_TAG = ("dấu ! ở đầu giá trị là cú pháp đặc biệt của YAML", "đặt giá trị trong ngoặc kép \"…\"")
_DIRECTIVE = ("dòng bắt đầu bằng % là cú pháp đặc biệt của YAML", "đặt giá trị trong ngoặc kép \"…\", hoặc xóa dòng")
_BLOCK_HEADER = ("sau dấu | hoặc > chỉ được có một chữ số từ 1 đến 9 và dấu - hoặc +",
                 "viết `ten: |` rồi xuống dòng, văn bản thụt lề ở các dòng dưới")
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
     "các khóa cùng cấp phải thụt lề bằng nhau (cùng số dấu cách)"),
    ("found undefined alias", "dùng tham chiếu (*ten) chưa được định nghĩa",
     "định nghĩa &ten trước khi dùng *ten, hoặc bỏ dấu * ở đầu giá trị"),
    ("found character '@'", "giá trị không được bắt đầu bằng @ hoặc `",
     "đặt giá trị trong ngoặc kép \"…\""),
    ("found character '`'", "giá trị không được bắt đầu bằng @ hoặc `",
     "đặt giá trị trong ngoặc kép \"…\""),
    ("that cannot start any token", "giá trị bắt đầu bằng một ký tự YAML dành riêng",
     "đặt giá trị trong ngoặc kép \"…\""),
    ("expected ',' or ']'", "danh sách trong ngoặc [ ] thiếu dấu phẩy hoặc dấu ] đóng",
     "viết [a, b, c] trên một dòng; nếu giá trị có dấu phẩy hay dấu ngoặc, đặt nó trong ngoặc kép \"…\""),
    ("expected ',' or '}'", "nhóm trong ngoặc { } thiếu dấu phẩy hoặc dấu } đóng",
     "viết {a: 1, b: 2} trên một dòng; nếu giá trị có dấu phẩy hay dấu ngoặc, đặt nó trong ngoặc kép \"…\""),
    ("unclosed '[' or '{'", "thụt lề sai, hoặc dấu [ hay { chưa được đóng",
     "đóng ngoặc bằng ] hoặc }, hoặc đặt giá trị bắt đầu bằng [ hay { trong ngoặc kép \"…\""),
    ("document", "tệp bị chia thành nhiều văn bản (dòng --- hoặc ... ở giữa tệp)",
     "mỗi tệp chỉ chứa một văn bản: xóa dòng --- hoặc ... này"),
    ("expected the node content", "thiếu giá trị ở chỗ này",
     "viết giá trị sau dấu hai chấm hoặc sau '- '; giá trị bắt đầu bằng dấu đặc biệt thì đặt trong ngoặc kép \"…\""),
    ("expected alphabetic or numeric character", "sau dấu & hoặc * phải là một tên (chữ hoặc số)",
     "nếu giá trị bắt đầu bằng & hoặc *, đặt cả giá trị trong ngoặc kép \"…\""),
    ("found duplicate anchor", "tên tham chiếu &… được đặt hai lần", "đổi tên một trong hai chỗ &ten"),
    ("found unexpected end of stream", "tệp hết mà dấu ngoặc kép chưa được đóng",
     "thêm dấu \" (hoặc ') ở cuối đoạn văn bản đã mở ngoặc"),
    ("expected escape sequence of", "mã \\x, \\u hoặc \\U trong ngoặc kép thiếu chữ số",
     "dùng ngoặc đơn ' … ' thay cho ngoặc kép, hoặc viết \\\\ thay cho \\"),
    ("indentation indicator", *_BLOCK_HEADER),
    ("chomping or indentation", *_BLOCK_HEADER),
    ("expected a comment or a line break", "có chữ thừa sau ký hiệu YAML ở dòng này",
     "xuống dòng sau dấu | hoặc >; nếu giá trị bắt đầu bằng & * ! % | >, đặt nó trong ngoặc kép \"…\""),
    ("mapping keys are not allowed here", "dấu ? ở đầu dòng là cú pháp đặc biệt của YAML",
     "đặt giá trị bắt đầu bằng ? trong ngoặc kép \"…\""),
    ("sequence entries are not allowed here", "dòng bắt đầu bằng '- ' ở chỗ không được phép",
     "các dòng '- ' phải thụt lề sâu hơn tên danh sách và thẳng cột với nhau; hoặc đặt giá trị trong ngoặc kép \"…\""),
    ("tag", *_TAG),
    ("directive", *_DIRECTIVE),
    ("URI", *_TAG),
    ("expected a digit", *_DIRECTIVE),
    ("expected '>'", *_TAG),
    ("expected '!'", *_TAG),
]
# Whatever PyYAML says that the table does not know: never its English.
_ANY_SYNTAX = ("lỗi cú pháp YAML ở chỗ này",
               "kiểm tra thụt lề, dấu hai chấm và dấu ngoặc ở dòng này và dòng trên; giá trị có dấu đặc biệt thì đặt trong ngoặc kép \"…\"")


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
    return Problem(Where(file, line, column), *_ANY_SYNTAX)


class _Builder:
    """Builds plain data from the node graph, recording positions and collecting problems."""

    def __init__(self, doc: LoadedFile, text: str):
        self.doc = doc
        self.text = text  # the source, to place a refused character exactly
        self.problems: list[Problem] = []
        self.count = 0
        self.characters = 0

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(Problem(_at(self.doc.file, node.start_mark),
                                     f"tệp quá lớn hoặc dùng tham chiếu (&/*) lồng nhau quá nhiều (hơn {MAX_NODES:,} mục)",
                                     "một kế hoạch chỉ cần vài trăm mục: bỏ các tham chiếu & và * lặp lại"))
        if depth > MAX_DEPTH:  # only through aliases: the composer bounds what is written
            raise InputError(Problem(_at(self.doc.file, node.start_mark), _TOO_DEEP[0], _TOO_DEEP[1]))
        self.doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag.startswith("!") or node.tag.startswith("tag:yaml.org,2002:python"):  # !!python/…, !tag
            self.problems.append(Problem(self.doc.where(path), f"không dùng được kiểu dữ liệu {node.tag}",
                                         "bỏ thẻ ! hoặc !! ở đầu giá trị và viết giá trị như văn bản thường"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:null":
            return None
        if node.tag != "tag:yaml.org,2002:str":
            self.problems.append(Problem(self.doc.where(path),
                                         f"không dùng được kiểu dữ liệu {node.tag}",
                                         "bỏ thẻ !! ở đầu giá trị và viết giá trị như văn bản thường"))
        if node.style in ("|", ">"):
            first = self.text.find("\n", node.start_mark.index) + 1
            indent = len(self.text[first:]) - len(self.text[first:].lstrip(" "))
            self.doc.blocks[path] = (node.start_mark.line + 2, indent + 1)
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> str:
        """A scalar's text under the character policy (textcodec.clean_text); a refused character is a problem."""
        self.characters += len(node.value)
        if self.characters > MAX_CHARACTERS:
            raise InputError(Problem(_at(self.doc.file, node.start_mark),
                                     f"các tham chiếu (*ten) lặp lại tạo ra hơn {MAX_CHARACTERS // 1_000_000} triệu ký tự",
                                     "một kế hoạch chỉ vài chục nghìn chữ: bỏ các tham chiếu * lặp lại"))
        try:
            return clean_text(node.value)
        except UnusableCharacter as error:
            self.problems.append(self._refused(node, error))
            return node.value

    def _refused(self, node: yaml.Node, error: UnusableCharacter) -> Problem:
        """A refused character where it stands in the file: as typed, or as an escape in double quotes ("\\v")."""
        start, end = node.start_mark.index, node.end_mark.index
        source = self.text[start:end]
        index, hint = source.find(error.character), error.hint
        if index < 0:
            found = re.search(_escapes(error.character), source)
            index = found.start() if found else 0
            if found:
                hint = f"xóa mã {found.group()} trong ngoặc kép"
        return Problem(Where(self.doc.file, *line_column(self.text, start + index)), error.message, hint)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *base" merges a shared block
                merged = self.build(value_node, path, depth + 1)
                for source in merged if isinstance(merged, list) else [merged]:
                    if isinstance(source, dict):
                        for k, v in source.items():
                            out.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(Where(self.doc.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                                             "tên trường phải là một từ", "viết tên trường dạng `ten_truong:`"))
                continue
            key = self.scalar(key_node)
            here = (*path, key)
            mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out and here in self.doc.keys:
                first = self.doc.keys[here][0]
                self.problems.append(Problem(Where(self.doc.file, *mark), f"khóa '{key}' bị lặp lại (đã có ở dòng {first})",
                                             "xóa một trong hai dòng, hoặc gộp nội dung của chúng"))
                continue
            self.doc.keys[here] = mark
            out[key] = self.build(value_node, here, depth + 1)
        return out


def _at(file: str, mark: yaml.Mark) -> Where:
    return Where(file, mark.line + 1, mark.column + 1)


_TOO_DEEP = (f"các danh sách và nhóm trường lồng nhau quá sâu (hơn {MAX_DEPTH} tầng)",
             "một văn bản chỉ cần vài tầng (mục, khoản, điểm …): kiểm tra thụt lề, các dấu [ { thừa "
             "hoặc tham chiếu *ten trỏ vào chính nó")
# The one-letter escapes of double-quoted YAML text, by the character they write.
_NAMED_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
                  "\x1b": "e", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _escapes(character: str) -> str:
    """A pattern of the escapes that write character in double quotes: \v, \x0b, \u000B, \U0000000b."""
    code = ord(character)
    forms = [f"(?i:u{code:04x}|U{code:08x}" + (f"|x{code:02x})" if code < 256 else ")")]
    if character in _NAMED_ESCAPES:
        forms.append(_NAMED_ESCAPES[character])
    return r"\\(?:" + "|".join(forms) + ")"


def load_text(text: str, file: str) -> LoadedFile:
    """Parse YAML text into a LoadedFile; raises InputError with every problem found."""
    doc = LoadedFile(file, None)
    try:
        node = yaml.compose(text, Loader=_TextLoader)
    except _TooDeep as error:
        raise InputError(Problem(_at(file, error.problem_mark), *_TOO_DEEP)) from None
    except yaml.MarkedYAMLError as error:
        raise InputError(_syntax_problem(file, error, text)) from None
    except yaml.reader.ReaderError as error:  # a character YAML refuses as typed (U+FFFF, U+FFFE …)
        index = error.position
        bad = text[index] if 0 <= index < len(text) else "\ufffd"
        try:
            clean_text(bad)
            message, hint = _ANY_SYNTAX
        except UnusableCharacter as refused:
            message, hint = refused.message, refused.hint
        raise InputError(Problem(Where(file, *line_column(text, index)), message, hint)) from None
    except yaml.YAMLError:  # nothing else is known to come here; never PyYAML's English
        raise InputError(Problem(Where(file, 1, 1), *_ANY_SYNTAX)) from None
    if node is None:
        raise InputError(Problem(Where(file, 1, 1), "tệp rỗng", "viết nội dung văn bản vào tệp (xem `kehoach new`)"))
    builder = _Builder(doc, text)
    doc.data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return doc


def load_file(path: Path) -> LoadedFile:
    """Read and parse a YAML file."""
    return load_text(read_text_file(path), str(path))
