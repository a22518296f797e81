"""The segmenter: Thai words out of unspaced text, compounds with their parts, nothing lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from platu.search.segment import TOKEN_RE, Segmenter, normalise

SEG = Segmenter()


def test_words_come_out_of_an_unspaced_run() -> None:
    words = SEG.tokens("การจัดการความรู้ในองค์กรของโรงเรียน")
    assert words == ["การ", "จัดการ", "ความรู้", "ใน", "องค์กร", "ของ", "โรงเรียน"]


def test_latin_and_numbers_stay_words_case_folded_thai_digits_unified() -> None:
    assert SEG.tokens("ใช้GoogleDriveปี๒๕๖๘ ห้อง ม.1/2") == [
        "ใช้",
        "googledrive",
        "ปี",
        "2568",
        "ห้อง",
        "ม",
        "1",
        "2",
    ]


def test_a_compound_is_indexed_with_its_parts_but_not_two_letter_bits() -> None:
    assert "ความรู้" in SEG.parts("มีความรู้")
    assert set(SEG.parts("การจัดการความรู้")) >= {"ความรู้", "จัดการ"}
    assert SEG.parts("หนอง") == ()  # not หน + อง
    _words, parts = SEG.index_text("ครูมีความรู้")
    assert "ความรู้" in parts


def test_extra_terms_are_kept_whole() -> None:
    assert SEG.tokens("ถอดบทเรียนคุณอำนวย") == ["ถอด", "บทเรียน", "คุณ", "อำนวย"]
    with_terms = Segmenter(["คุณอำนวย"])
    assert with_terms.tokens("ถอดบทเรียนคุณอำนวย") == ["ถอด", "บทเรียน", "คุณอำนวย"]
    assert with_terms.split("คุณอำนวย") == ("คุณ", "อำนวย")


THAI = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), min_size=1, max_size=400)
MIXED = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),
        st.sampled_from(list('abcXYZ019 .,-"*:()\n')),
    ),
    max_size=400,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(THAI, MIXED))
def test_segmentation_loses_and_invents_no_letters(text: str) -> None:
    # nlpo3's "safe" mode scrambled text longer than ~140 characters; this catches that kind of bug.
    assert "".join(SEG.tokens(text)) == "".join(TOKEN_RE.findall(normalise(text)))
