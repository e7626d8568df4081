//! Extraction on small hand-made documents (visibly fictional: 示例县, 99…), one real-input
//! quirk each.

use crate::source::{Origin, read};
use crate::template::{Layout, TableKind};

use super::{CellState, Report, extract};

fn parse(text: &str) -> Report {
    extract(&read(text.as_bytes(), &Origin::new("示例县_test.txt")).unwrap())
}

fn value(r: &Report, t: TableKind, row: &str, col: &str) -> String {
    match &r.cell(t, row, col).map(|c| &c.state) {
        Some(CellState::Number(d)) => d.to_string(),
        Some(s) => s.key().to_owned(),
        None => "absent".into(),
    }
}

const REVIEW_HEADER: &str = "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 \
    未经复议直接起诉 复议后起诉 结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 \
    其他结果 尚未审结 总计";

#[test]
fn review_table_after_a_sentence_with_numbers() {
    let r = parse(&format!(
        "四、政府信息公开行政复议、行政诉讼情况\n本年度共发生行政复议3件，行政诉讼2件。\n{REVIEW_HEADER}\n\
         1 1 0 1 3 2 0 0 0 2 0 0 0 0 0\n五、存在的主要问题及改进情况\n无。"
    ));
    assert_eq!(
        value(&r, TableKind::ReviewLitigation, "review", "total"),
        "3"
    );
    assert_eq!(
        value(&r, TableKind::ReviewLitigation, "suit_direct", "upheld"),
        "2"
    );
}

#[test]
fn heading_typos_and_label_variants_are_matched() {
    // 行政法复议 is a real typo; 屬于 half-converted; 行政止公开 a real label typo.
    let r = parse(&format!(
        "三、收到和处理政府信息公开申请情况\n\
         一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n\
         二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n\
         (一)予以公开 1 0 0 0 0 0 1\n\
         (二)部分公开 0 0 0 0 0 0 0\n\
         (三)不予公开 1.屬于國家秘密 1 0 0 0 0 0 1\n\
         2.其他法律行政止公开 1 0 0 0 0 0 1\n\
         (七)总计 3 0 0 0 0 0 3\n\
         四、结转下年度继续办理 0 0 0 0 0 0 0\n\
         四、政府信息公开行政法复议、行政诉讼情况\n{REVIEW_HEADER}\n\
         0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    ));
    assert_eq!(
        value(&r, TableKind::Requests, "denied_state_secret", "natural"),
        "1"
    );
    assert_eq!(value(&r, TableKind::Requests, "denied_law", "total"), "1");
    assert_eq!(value(&r, TableKind::Requests, "total", "total"), "3");
    assert_eq!(
        value(&r, TableKind::ReviewLitigation, "review", "total"),
        "0"
    );
    assert_eq!(r.layout(TableKind::Requests), Some(Layout::Y2019));
}

#[test]
fn a_2021_report_may_print_the_2019_table_three() {
    let r = parse(
        "二、主动公开政府信息情况\n第二十条第(一)项 信息内容 本年制发件数 本年废止件数 现行有效件数\n\
         规章 0 0 1\n行政规范性文件 2 0 9\n\
         三、收到和处理政府信息公开申请情况\n\
         一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n\
         (六)其他处理 0 0 0 0 0 0 0\n(七)总计 1 0 0 0 0 0 1\n",
    );
    assert_eq!(r.layout(TableKind::Disclosure), Some(Layout::Y2021));
    assert_eq!(r.layout(TableKind::Requests), Some(Layout::Y2019));
    assert_eq!(value(&r, TableKind::Requests, "other", "total"), "0");
    assert_eq!(
        value(&r, TableKind::Disclosure, "normative_docs", "in_force"),
        "9"
    );
}

#[test]
fn printed_subtotals_are_kept_and_missing_rows_said() {
    let r = parse(
        "三、收到和处理政府信息公开申请情况\n\
         一、本年新收政府信息公开申请数量 2 0 0 0 0 0 2\n\
         (三)不予公开 2 0 0 0 0 0 2\n1.属于国家秘密 2 0 0 0 0 0 2\n\
         (七)总计 2 0 0 0 0 0 2\n",
    );
    assert_eq!(
        value(&r, TableKind::Requests, "denied_subtotal", "total"),
        "2"
    );
    assert_eq!(
        value(&r, TableKind::Requests, "carried_in", "total"),
        "missing"
    );
    assert!(r.notes.iter().any(|n| matches!(
        n,
        super::Note::RowNotFound {
            row: "carried_in",
            ..
        }
    )));
}

/// A table 三 glued like a crawler dump: every 2019 row with its ordinal, all zeros but
/// `rows`, which give the printed digit runs.
fn glued_requests(rows: &[(&str, &str)]) -> String {
    let mut s = String::from("三、收到和处理政府信息公开申请情况");
    for row in crate::template::REQUESTS_2019
        .rows
        .iter()
        .filter(|r| !r.group)
    {
        if let Some(n) = row.ordinal {
            s += &n.to_string();
            s += ".";
        }
        s += row.labels[0];
        s += rows
            .iter()
            .find(|(k, _)| *k == row.key)
            .map_or("0000000", |(_, v)| v);
    }
    s + "四、政府信息公开行政复议情况"
}

#[test]
fn glued_rows_are_decided_by_the_column_identities() {
    // `new` and `total` alone read 11|0|0|0|0|0|11 or 1|10|0|0|0|0|11; only the first
    // balances I2 down the business column (granted and partial are 0 there).
    let r = parse(&glued_requests(&[
        ("new", "110000011"),
        ("granted", "100000010"),
        ("partial", "1000001"),
        ("total", "110000011"),
    ]));
    assert_eq!(value(&r, TableKind::Requests, "new", "natural"), "11");
    assert_eq!(value(&r, TableKind::Requests, "new", "business"), "0");
    assert_eq!(value(&r, TableKind::Requests, "granted", "natural"), "10");
    assert_eq!(value(&r, TableKind::Requests, "partial", "total"), "1");
    assert_eq!(value(&r, TableKind::Requests, "denied_law", "total"), "0");
}

#[test]
fn glued_rows_with_two_consistent_tables_stay_ambiguous() {
    // Here new, granted and total are the same run: reading all three as 11|0|…|11 or all
    // as 1|10|0|…|11 balances every identity. The tool must not choose.
    let run = "110000011";
    let r = parse(&glued_requests(&[
        ("new", run),
        ("granted", run),
        ("total", run),
    ]));
    let c = r.cell(TableKind::Requests, "new", "natural").unwrap();
    assert_eq!(
        c.state,
        CellState::Ambiguous(vec!["1".into(), "11".into()]),
        "{c:?}"
    );
}

#[test]
fn an_inconsistent_glued_row_is_not_forced() {
    // 1|2|3|4|5|6|7 cannot add up: the row is kept as its one strict reading, and the
    // validator reports I3; nothing is adjusted.
    let r = parse("三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量1234567");
    assert_eq!(value(&r, TableKind::Requests, "new", "total"), "7");
    let f = crate::validate::validate(&r);
    assert!(f.iter().any(|f| f.rule == "I3"), "{f:?}");
}

/// Table 三 of the 2021 layout glued as a crawler dumps it, with `rows` spliced in as given.
fn glued_table(rows: &str) -> String {
    format!(
        "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计{rows}四、政府信息公开行政复议、行政诉讼情况{}000000000000000五、存在的主要问题及改进情况无",
        REVIEW_HEADER.replace(' ', "")
    )
}

#[test]
fn a_sentence_spliced_onto_the_last_cell_ends_at_its_year() {
    let r = parse(&glued_table(
        "一、本年新收政府信息公开申请数量2000002二、上年结转政府信息公开申请数量0000000\
         （七）总计2000002四、结转下年度继续办理00000002026年，示例县共收到申请2件。",
    ));
    assert_eq!(
        value(&r, TableKind::Requests, "carried_out", "natural"),
        "0"
    );
    assert_eq!(value(&r, TableKind::Requests, "carried_out", "total"), "0");
}

#[test]
fn a_label_with_no_cells_is_blank_and_a_space_can_hold_an_empty_cell() {
    let r = parse(&glued_table(
        "一、本年新收政府信息公开申请数量0 00000二、上年结转政府信息公开申请数量0000000\
         （六）其他处理1.申请人无正当理由逾期不补正0000000\
         2.申请人逾期未按收费通知要求缴纳费用3.其他0000000（七）总计0000000\
         四、结转下年度继续办理0000000",
    ));
    // `0 00000`: six digits for seven cells, the space is the empty 商业企业 cell.
    assert_eq!(value(&r, TableKind::Requests, "new", "natural"), "0");
    assert_eq!(value(&r, TableKind::Requests, "new", "business"), "blank");
    assert_eq!(value(&r, TableKind::Requests, "new", "total"), "0");
    for col in ["natural", "total"] {
        assert_eq!(value(&r, TableKind::Requests, "other_no_fee", col), "blank");
    }
    // …and the identities the blanks touch are said to be unchecked, not passed.
    let f = crate::validate::validate(&r);
    assert!(
        f.iter()
            .any(|f| f.rule == "I3" && f.cells.contains(&"requests/new/business".to_owned())),
        "{f:#?}"
    );
    assert!(
        f.iter().any(|f| f.rule == "I3"
            && f.cells
                .contains(&"requests/other_no_fee/natural".to_owned())),
        "{f:#?}"
    );
}

#[test]
fn a_row_not_printed_does_not_push_the_others_out_of_the_table() {
    // No 规章 row; the prose after the table names 规章 and 规范性文件.
    let r = parse(
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数\
         规范性文件1 2 3第二十条第（五）项信息内容本年处理决定数量行政许可7\
         第二十条第（六）项信息内容本年处理决定数量行政处罚8行政强制9\
         第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0\
         示例县公开规章、规范性文件共5件。三、收到和处理政府信息公开申请情况",
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "normative_docs", "in_force"),
        "3"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "licensing", "decisions"),
        "7"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "coercion", "decisions"),
        "9"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "regulations", "issued"),
        "missing"
    );
}

#[test]
fn a_glued_review_row_that_breaks_one_group_keeps_the_groups_it_decides() {
    // review 0/0/2/0/2 and suit_direct 0/0/0/0/0 are sure; 13|2|4|0|15 breaks I4.
    let r = parse(&format!(
        "四、政府信息公开行政复议、行政诉讼情况{}00202000001324015五、存在的主要问题及改进情况无",
        REVIEW_HEADER.replace(' ', "")
    ));
    assert_eq!(
        value(&r, TableKind::ReviewLitigation, "review", "other"),
        "2"
    );
    assert_eq!(
        value(&r, TableKind::ReviewLitigation, "review", "total"),
        "2"
    );
    assert_eq!(
        value(&r, TableKind::ReviewLitigation, "suit_direct", "total"),
        "0"
    );
    assert_eq!(
        value(
            &r,
            TableKind::ReviewLitigation,
            "suit_after_review",
            "upheld"
        ),
        "ambiguous"
    );
    let f = crate::validate::validate(&r);
    assert!(
        f.iter().any(|f| f.rule == "I4"
            && f.severity == crate::report::Severity::Error
            && f.cells
                .iter()
                .any(|c| c.starts_with("review_litigation/suit_after_review/"))),
        "{f:#?}"
    );
}

#[test]
fn a_single_change_value_is_added_and_a_glued_one_is_not_guessed() {
    let r = parse(
        "二、主动公开政府信息情况第二十条第（五）项 信息内容 上一年项目数量 本年增/减 处理决定数量\n\
         行政许可 15 -3 0\n其他对外管理服务事项 4 +2 1\n\
         第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚4500行政强制000\n\
         三、收到和处理政府信息公开申请情况",
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "licensing", "added"),
        "blank"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "licensing", "removed"),
        "3"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "other_services", "added"),
        "2"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "other_services", "removed"),
        "blank"
    );
    // 4500: 45|0|0 or 4|50|0.
    assert_eq!(
        value(&r, TableKind::Disclosure, "penalty", "prev_items"),
        "ambiguous"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "penalty", "added"),
        "ambiguous"
    );
    assert_eq!(
        value(&r, TableKind::Disclosure, "penalty", "decisions"),
        "0"
    );
}
