"""Unit tests of scripts/house (the house rules check): the lexer, function lengths with
html! bodies aside, the file graph's cycles and Result<_, String> in pub signatures.
Run: python3 -m unittest discover scripts/tests"""
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import tempfile
import textwrap
import unittest

HOUSE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "house")
_loader = importlib.machinery.SourceFileLoader("house", HOUSE)
_spec = importlib.util.spec_from_loader("house", _loader)
house = importlib.util.module_from_spec(_spec)
_loader.exec_module(house)


def fn_of(lines_inside, name="f", prefix="pub fn"):
    """A function whose text is `lines_inside + 2` lines long (signature and brace)."""
    body = "".join(f"    let x{k} = {k};\n" for k in range(lines_inside))
    return f"{prefix} {name}() {{\n{body}}}\n"


def lengths(src):
    return {name: count for name, _, _, count in house.parse_file("x.rs", src).fns}


class Crate:
    """A throwaway crate: {relative path: source} under a temporary directory."""

    def __init__(self, files):
        self.dir = tempfile.TemporaryDirectory()
        for rel, text in files.items():
            path = os.path.join(self.dir.name, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(textwrap.dedent(text))
        with open(os.path.join(self.dir.name, "Cargo.toml"), "w", encoding="utf-8") as f:
            f.write('[package]\nname = "demo-crate"\n')

    def __enter__(self):
        return self.dir.name

    def __exit__(self, *exc):
        self.dir.cleanup()


def cycles_of(files):
    with Crate(files) as root:
        return [files_ for files_, _ in house.check(root)[2]]


class Lexer(unittest.TestCase):
    def test_blank_keeps_offsets_and_hides_braces_in_strings_chars_and_comments(self):
        src = 'let s = "}{\\"}"; let c = \'{\'; // }\n/* { /* } */ } */ let r = r#"}"#; x<\'a>'
        out = house.blank(src)
        self.assertEqual(len(out), len(src))
        self.assertEqual(out.count("\n"), 1)
        self.assertEqual(out.count("{") + out.count("}"), 0)
        self.assertIn("x<'a>", out)  # a lifetime is not a char literal

    def test_escaped_quote_char_and_byte_raw_string(self):
        out = house.blank("let q = '\\''; let b = br\"{\"; fn g() {}")
        self.assertEqual(out.count("{"), 1)
        self.assertEqual(lengths("let q = '\\''; let b = br\"{\";\nfn g() {\n}\n"), {"g": 2})


class FunctionLengths(unittest.TestCase):
    def test_eighty_lines_pass_eighty_one_are_listed(self):
        src = fn_of(78, "ok") + fn_of(79, "long")
        self.assertEqual(lengths(src), {"ok": 80, "long": 81})
        with Crate({"src/lib.rs": src}) as root:
            long_fns = house.check(root)[1]
        self.assertEqual([(name, n) for _, _, name, n in long_fns], [("long", 81)])

    def test_html_body_lines_do_not_count(self):
        markup = "".join(f"            <p>{{ \"}}\" }}{k}</p>\n" for k in range(60))
        src = ("fn view() -> Html {\n" + "    let a = 1;\n" * 30 + "    html! {\n"
               "        <div>\n" + markup + "        </div>\n    }\n}\n")
        # 1 + 30 + 1 (html! {) + 62 inside + 1 (}) + 1 (}) lines; the 62 inside are aside.
        self.assertEqual(lengths(src), {"view": 34})

    def test_methods_are_named_by_their_type_and_nested_braces_count_once(self):
        src = ("impl<T: Clone> Trait for Wrapper<T> {\n    fn go(&self) {\n"
               "        if true { let v = vec![{ 1 }]; }\n        match 1 { _ => {} }\n    }\n}\n"
               "fn takes(f: fn(u32) -> u32, a: [u8; 4]) -> u32 {\n    f(a[0] as u32)\n}\n")
        self.assertEqual(lengths(src), {"Wrapper::go": 4, "takes": 3})

    def test_trait_declarations_without_body_are_not_functions(self):
        src = "trait T {\n    fn a(&self) -> u32;\n    fn b(&self) {\n    }\n}\n"
        self.assertEqual(lengths(src), {"b": 2})


class StringErrors(unittest.TestCase):
    def flagged(self, src):
        return [name for name, _ in house.parse_file("x.rs", src).string_results]

    def test_pub_fn_returning_result_with_string_error_is_listed(self):
        src = textwrap.dedent("""\
            pub fn a() -> Result<u32, String> { Ok(1) }
            fn private() -> Result<u32, String> { Ok(1) }
            pub fn typed() -> Result<u32, MyError> { Ok(1) }
            pub(crate) async fn b(
                x: u32,
            ) -> Result<Vec<(u8, u16)>, std::string::String> {
                Ok(vec![])
            }
            pub fn c() -> Result<HashMap<String, u32>, Error> { todo!() }
            impl S {
                pub fn d(&self) -> Result<(), String> { Ok(()) }
            }
            """)
        self.assertEqual(self.flagged(src), ["a", "b", "S::d"])


class Cycles(unittest.TestCase):
    def test_two_files_using_each_other_are_a_cycle(self):
        found = cycles_of({
            "src/lib.rs": "pub mod a;\npub mod b;\n",
            "src/a.rs": "use crate::b::B;\npub struct A;\n",
            "src/b.rs": "pub struct B;\npub fn f() { let _ = super::a::A; }\n",
        })
        self.assertEqual(found, [["src/a.rs", "src/b.rs"]])

    def test_one_way_use_is_not_a_cycle(self):
        found = cycles_of({
            "src/lib.rs": "pub mod a;\npub mod b;\n",
            "src/a.rs": "use crate::b::B;\npub struct A;\n",
            "src/b.rs": "pub struct B;\n",
        })
        self.assertEqual(found, [])

    def test_a_parent_re_exporting_its_child_is_not_a_cycle(self):
        found = cycles_of({
            "src/lib.rs": "pub mod data;\n",
            "src/data/mod.rs": "mod reader;\npub use reader::read;\npub struct Error;\n",
            "src/data/reader.rs": "use super::Error;\npub fn read() -> Error { Error }\n",
        })
        self.assertEqual(found, [])

    def test_re_exports_lead_to_the_defining_file(self):
        # zip uses `super::Dataset`, defined in dataset.rs and re-exported by mod.rs.
        found = cycles_of({
            "src/lib.rs": "pub mod data;\n",
            "src/data/mod.rs": "pub mod dataset;\npub mod zip;\npub use dataset::Dataset;\n",
            "src/data/dataset.rs": "pub struct Dataset;\nfn t() { super::zip::open(); }\n",
            "src/data/zip.rs": "use super::{Dataset};\npub fn open() {}\n",
        })
        self.assertEqual(found, [["src/data/dataset.rs", "src/data/zip.rs"]])

    def test_an_imported_module_name_and_a_path_attribute_resolve(self):
        found = cycles_of({
            "src/lib.rs": "mod x;\n#[cfg(test)]\n#[path = \"x_more.rs\"]\nmod more;\n",
            "src/x.rs": "use crate::more;\npub fn f() { more::g(); }\n",
            "src/x_more.rs": "pub fn g() { crate::x::f(); }\n",
        })
        self.assertEqual(found, [["src/x.rs", "src/x_more.rs"]])

    def test_inline_test_module_using_super_is_not_an_edge(self):
        found = cycles_of({
            "src/lib.rs": "pub mod a;\n",
            "src/a.rs": "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
        })
        self.assertEqual(found, [])


class Exit(unittest.TestCase):
    def run_main(self, root, *args):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = house.main(["--root", root, *args])
        return code, out.getvalue()

    def test_exit_one_when_something_is_listed_unless_report(self):
        with Crate({"src/lib.rs": "pub fn a() -> Result<(), String> { Ok(()) }\n"}) as root:
            self.assertEqual(self.run_main(root)[0], 1)
            code, out = self.run_main(root, "--report")
            self.assertEqual(code, 0)
            self.assertIn("1 pub fns with Result<_, String>", out)
        with Crate({"src/lib.rs": fn_of(3)}) as root:
            self.assertEqual(self.run_main(root)[0], 0)


if __name__ == "__main__":
    unittest.main()
