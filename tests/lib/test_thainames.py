from hypothesis import given
from hypothesis import strategies as st
from pythainlp.util import collate

from platu.lib.thainames import name_sort_key, strip_title, thai_sort_key, thai_sorted


def test_it_sorts_leading_vowels_by_their_consonant() -> None:
    words = ["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่"]
    assert thai_sorted(words) == ["กาล", "เกิด", "ไก่", "เป็ด", "วันที่", "วัว", "หมู"]


def test_it_ignores_title_prefixes() -> None:
    names = ["นายสมชาย", "นางสาวเกศินี", "ดร.ไพโรจน์", "นางกมลา", "ว่าที่ร้อยตรีบุญมี"]
    assert thai_sorted(names) == ["นางกมลา", "นางสาวเกศินี", "ว่าที่ร้อยตรีบุญมี", "ดร.ไพโรจน์", "นายสมชาย"]
    assert strip_title("นางสาว สมศรี") == "สมศรี"
    assert strip_title("ผศ.ดร.วิชัย") == "วิชัย"
    assert strip_title("นาย") == "นาย"  # a name that is only a title stays


def test_it_sorts_thai_names_before_latin_ones() -> None:
    assert thai_sorted(["John", "สมชาย", "anna"]) == ["สมชาย", "anna", "John"]


def test_first_name_decides_before_last_name() -> None:
    assert name_sort_key("กา", "ขา") < name_sort_key("กา", "ฮา") < name_sort_key("กาน", "กก")


thai_words = st.text(
    alphabet=[chr(c) for c in range(0x0E01, 0x0E2F)] + ["เ", "แ", "โ", "ไ", "า", "ิ", "ุ"],
    min_size=1,
    max_size=8,
)


@given(st.lists(thai_words, min_size=2, max_size=12))
def test_the_key_orders_toneless_words_as_pythainlp_collate_does(words: list[str]) -> None:
    assert [thai_sort_key(w) for w in thai_sorted(words)] == [thai_sort_key(w) for w in collate(words)]


@given(thai_words, thai_words)
def test_keys_are_plain_hex_so_any_database_collation_agrees(a: str, b: str) -> None:
    ka, kb = thai_sort_key(a), thai_sort_key(b)
    assert set(ka) <= set("0123456789abcdef")
    assert (ka < kb) == (ka.encode() < kb.encode())
