//! The scanner against html5ever's tree: real, synthetic and generated pages.

use super::super::{Html, Walker, decode};
use crate::rng::Rng;

/// The page as html5ever's tree gives it.
fn tree(text: &str) -> Walker {
    let html = Html::parse_document(text);
    let mut w = Walker {
        max_grid: 1_000_000,
        ..Walker::default()
    };
    w.walk(html.root_element(), 0);
    w.flush();
    w
}

/// Whether the scanner reads `text`, checking that it reads it as the tree does.
fn same(text: &str) -> bool {
    let w = Walker {
        max_grid: 1_000_000,
        ..Walker::default()
    };
    let Some(ours) = super::scan(text, w) else {
        return false;
    };
    let theirs = tree(text);
    assert_eq!(ours.blocks, theirs.blocks, "{text}");
    assert_eq!(ours.too_large, theirs.too_large, "{text}");
    assert_eq!(ours.converted, theirs.converted, "{text}");
    true
}

#[test]
fn real_and_synthetic_pages_read_as_their_trees() {
    let real: [&[u8]; 2] = [
        include_bytes!(
            "../../../../tests/fixtures/real/shanghai_shi-zhengfu-bangongting_2019.html"
        ),
        include_bytes!("../../../../tests/fixtures/real2/jiangsu_shuyang-fagaiju_2023.html"),
    ];
    // Both real pages are ones the scanner follows (the Jiangsu one with Word's markup,
    // scripts, styles, a search form and an iframe).
    let read: Vec<bool> = real.iter().map(|b| same(&decode(b).0)).collect();
    assert_eq!(read, [true, true]);
    // A fuzzer's page (a control byte before `<html>`, NUL bytes in a cell): left to
    // html5ever.
    let fuzzed = decode(include_bytes!(
        "../../../../tests/fixtures/fuzz/read-html-joint-search-slow.bin"
    ))
    .0;
    assert!(!same(&fuzzed));
    let opts = crate::synth::Options {
        issuers: 12,
        years: (2019, 2024),
        ..Default::default()
    };
    let mut n = 0;
    for (i, t) in crate::synth::generate(&opts).iter().enumerate() {
        let bytes =
            crate::synth::report_bytes(t, crate::synth::Shape::Html, i % 3 == 0, i % 5 == 0);
        assert!(same(&decode(&bytes).0), "synthetic page {i}");
        n += 1;
    }
    assert!(n >= 60);
}

/// Elements a page's flow holds.
const FLOW: &[&str] = &[
    "<p>",
    "<div>",
    "<span>",
    "<b>",
    "<font color=red>",
    "<o:p>",
    "<h2>",
    "<center>",
    "<strong>",
    "<section>",
    "<P>",
    "<Div class='x'>",
    "<i>",
    "<u>",
    "<em>",
    "<label>",
    "<a href=\"x?a=1&b=2\">",
    "<span lang=EN-US style='font-size:10.5pt'>",
];
/// Elements html5ever repairs or treats otherwise, for tag soup (with `FLOW`'s).
const MORE: &[&str] = &[
    "<ul>",
    "<li>",
    "<ol>",
    "<h3>",
    "<table>",
    "<tbody>",
    "<tr>",
    "<td>",
    "<th>",
    "<td rowspan=2>",
    "<td colspan=\"3\">",
    "<TD ROWSPAN='2' colspan=2>",
    "<thead>",
    "<pre>",
    "<form>",
    "<dl>",
    "<dt>",
    "<dd>",
    "<caption>",
    "<select>",
    "<option>",
    "<textarea>",
    "<button>",
    "<nobr>",
    "<address>",
    "<main>",
];
const CLOSE: &[&str] = &[
    "</p>",
    "</div>",
    "</span>",
    "</b>",
    "</font>",
    "</o:p>",
    "</h2>",
    "</ul>",
    "</li>",
    "</center>",
    "</strong>",
    "</a>",
    "</section>",
    "</ol>",
    "</h3>",
    "</table>",
    "</tbody>",
    "</tr>",
    "</td>",
    "</th>",
    "</thead>",
    "</P>",
    "</br>",
    "</i>",
    "</u>",
    "</em>",
];
const OTHER: &[&str] = &[
    "<br>",
    "<br/>",
    "<BR />",
    "<img src=a.png>",
    "<hr>",
    "<input type=hidden>",
    "<meta charset=utf-8>",
    "<!-- 注释 -->",
    "<!---->",
    "<!-- a -- b -->",
    "<!--x--!>",
    "<title>标题</title>",
    "<script>var a = 1 < 2;</script>",
    "<style>p{}</style>",
    "<script><!-- x --></script>",
    "<html>",
    "<head>",
    "</head>",
    "<body>",
    "</body>",
    "</html>",
    "<!DOCTYPE html>",
    "<noscript>x</noscript>",
    "<p/>",
    "<td/>",
    "<td rowspan=\"2\"colspan=2>",
    "<td rowspan=&#50;>",
    "<td rowspan=2 rowspan=3>",
    "<?xml version='1.0'?>",
    "</>",
    "</ p>",
    "<td\nrowspan\n=\n\"2\"\n>",
    "<iframe src=x></iframe>",
    "<iframe>a &amp; <b></iframe>",
    "<form action=/s>",
    "</form>",
    "<button>",
    "</button>",
    "<input name=q>",
];
const TEXT: &[&str] = &[
    "示例",
    "12",
    " ",
    "\n",
    "\r\n",
    "\t",
    "&nbsp;",
    "&amp;",
    "&lt;",
    "&#20013;",
    "&#x4e2d;",
    "&ldquo;是&rdquo;",
    "&copy",
    "&notin;",
    "&foo;",
    "& ",
    "a<b",
    "< 3",
    "&#0;",
    "&#128;",
    "\u{3000}",
    "\u{a0}",
    "本年新收政府信息公开申请数量",
    "（一）",
];

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u64) as usize]
}

/// A random page: elements opened and closed in order, with a piece of any kind put in
/// at random now and then.
fn page(rng: &mut Rng, soup: bool) -> String {
    let mut out = String::new();
    let mut open: Vec<&str> = Vec::new();
    if rng.chance(0.5) {
        out.push_str("<html><head><meta charset=\"utf-8\"><title>报告</title></head><body>");
    }
    for _ in 0..rng.below(60) {
        let r = rng.unit();
        if soup && r < 0.08 {
            out.push_str(pick(rng, OTHER));
        } else if soup && r < 0.12 {
            out.push_str(pick(rng, CLOSE));
        } else if r < 0.45 {
            let from = if soup && rng.chance(0.6) { MORE } else { FLOW };
            let tag = pick(rng, from);
            out.push_str(tag);
            let name = tag[1..].split([' ', '>']).next().unwrap_or("");
            open.push(name);
        } else if r < 0.65 && !open.is_empty() {
            let name = open.pop().unwrap_or_default();
            out.push_str(&format!("</{name}>"));
        } else if r < 0.7 {
            out.push_str("<br>");
        } else if soup {
            out.push_str(pick(rng, TEXT));
        } else {
            out.push_str(pick(rng, &TEXT[..13]));
        }
    }
    while let Some(name) = open.pop() {
        if soup && rng.chance(0.2) {
            continue;
        }
        out.push_str(&format!("</{name}>"));
    }
    out
}

/// A random table (what the scanner must read): rows of cells with spans, text and
/// markup inside, between paragraphs.
fn tables(rng: &mut Rng) -> String {
    let mut out = String::from("<p>前言</p>");
    for _ in 0..1 + rng.below(3) {
        out.push_str("<table>");
        let body = rng.chance(0.5);
        if body {
            out.push_str("<tbody>\n");
        }
        for _ in 0..rng.below(6) {
            out.push_str("<tr> ");
            for _ in 0..rng.below(6) {
                match rng.below(4) {
                    0 => out.push_str("<td>"),
                    1 => out.push_str(&format!("<td rowspan=\"{}\">", rng.below(4))),
                    2 => out.push_str(&format!("<th colspan={}>", 1 + rng.below(3))),
                    _ => out.push_str("<td rowspan=2 colspan=2>"),
                }
                for _ in 0..rng.below(3) {
                    match rng.below(5) {
                        0 => out.push_str("<p><span>12</span></p>"),
                        1 => out.push_str("新<br />制作"),
                        2 => out.push_str("&nbsp;"),
                        3 => out.push_str("<o:p></o:p>"),
                        _ => out.push_str(pick(rng, TEXT)),
                    }
                }
                let last = out.rfind("<t").unwrap_or(0);
                out.push_str(if out[last..].starts_with("<th") {
                    "</th>"
                } else {
                    "</td>"
                });
            }
            out.push_str("</tr>\n");
        }
        if body {
            out.push_str("</tbody>");
        }
        out.push_str("</table>");
        out.push_str(pick(rng, TEXT));
    }
    out
}

/// The blocks the scanner ends paragraphs at are the walker's.
#[test]
fn flow_blocks_are_the_walkers_blocks() {
    for name in super::FLOW_BLOCKS {
        assert!(super::super::is_block(name), "{name}");
    }
}

/// Where the scanner gives up, the page is still read (by html5ever): nesting past its
/// depth, a paragraph a `div` closes, text loose in a table, an unknown entity.
#[test]
fn pages_the_scanner_leaves_are_read_by_the_tree() {
    let deep = format!("{}深{}", "<div>".repeat(250), "</div>".repeat(250));
    for page in [
        deep.as_str(),
        "<p>甲<div>乙</div>丙</p>",
        "<table>散<tr><td>1</td></tr></table>",
        "<p>&hearts;</p>",
    ] {
        let w = Walker {
            max_grid: 1_000_000,
            ..Walker::default()
        };
        assert!(super::scan(page, w).is_none(), "{page}");
        let doc = super::super::read(page.as_bytes(), &crate::source::Origin::new("t.html"));
        assert!(doc.is_ok_and(|d| !d.blocks.is_empty()), "{page}");
    }
}

#[test]
fn generated_pages_read_as_their_trees() {
    let mut rng = Rng::new(20261207);
    let mut read = [0usize; 3];
    for i in 0..30_000 {
        let text = match i % 3 {
            0 => page(&mut rng, false),
            1 => page(&mut rng, true),
            _ => tables(&mut rng),
        };
        read[i % 3] += usize::from(same(&text));
    }
    // Enough of each kind read by the scanner for the comparison to mean something.
    assert!(
        read[0] > 2000 && read[1] > 300 && read[2] > 2000,
        "{read:?} of 10,000 each read"
    );
}
