"""What of a Markdown document reaches the MT, and what is kept as it is."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rutrans.formats.markdown import Block, blocks


def mark(text: str) -> str:
    """*text* with every translatable span wrapped in ⟦ ⟧: what the MT sees, in place."""
    out, done = [], 0
    for block in blocks(text):
        for start, end in block.spans:
            out += [
                text[done : block.start + start],
                "⟦",
                text[block.start + start : block.start + end],
                "⟧",
            ]
            done = block.start + end
    return "".join(out) + text[done:]


def block_texts(text: str) -> list[str]:
    return [text[b.start : b.end] for b in blocks(text)]


# --- block structure -----------------------------------------------------------------


def test_headings_keep_their_markers() -> None:
    assert mark("## Встреча министров\n") == "## ⟦Встреча министров⟧\n"
    assert mark("# Встреча министров ##\n") == "# ⟦Встреча министров⟧ ##\n"
    assert mark("###### в рамках ШОС") == "###### ⟦в рамках ШОС⟧"
    # No space after "#": not a heading, the "#" is part of the text.
    assert mark("#ШОС и ОВД") == "⟦#ШОС и ОВД⟧"


def test_setext_heading_text_is_a_block_and_its_underline_is_not() -> None:
    text = "Встреча министров\n=================\n\nСовещание ОВД\n-------------\n"
    assert mark(text) == (
        "⟦Встреча министров⟧\n=================\n\n⟦Совещание ОВД⟧\n-------------\n"
    )
    assert block_texts(text) == ["Встреча министров", "Совещание ОВД"]


def test_a_soft_wrapped_paragraph_is_one_block() -> None:
    text = (
        "На встрече были рассмотрены вопросы\nсотрудничества органов внутренних дел.\r\n"
        "\r\nВторой абзац."
    )
    assert block_texts(text) == [
        "На встрече были рассмотрены вопросы\nсотрудничества органов внутренних дел.",
        "Второй абзац.",
    ]
    assert mark(text).startswith("⟦На встрече были рассмотрены вопросы\nсотрудничества")


def test_list_items_keep_markers_and_task_boxes() -> None:
    text = (
        "- органов внутренних дел\n"
        "* в рамках ШОС\n"
        "+ операция «Паутина»\n"
        "1. Шанхайской организации\n"
        "2) сотрудничества\n"
        "- [ ] задача МВД\n"
        "- [x] выполнено\n"
        "  - вложенный пункт\n"
    )
    assert mark(text) == (
        "- ⟦органов внутренних дел⟧\n"
        "* ⟦в рамках ШОС⟧\n"
        "+ ⟦операция «Паутина»⟧\n"
        "1. ⟦Шанхайской организации⟧\n"
        "2) ⟦сотрудничества⟧\n"
        "- [ ] ⟦задача МВД⟧\n"
        "- [x] ⟦выполнено⟧\n"
        "  - ⟦вложенный пункт⟧\n"
    )
    assert len(blocks(text)) == 8


def test_a_wrapped_list_item_is_one_block() -> None:
    text = "- Мы плодотворно сотрудничаем с коллегами\n  как на двусторонней основе.\n- Второй\n"
    assert block_texts(text) == [
        "- Мы плодотворно сотрудничаем с коллегами\n  как на двусторонней основе.",
        "- Второй",
    ]


def test_a_number_at_the_start_of_a_wrapped_line_does_not_start_a_list() -> None:
    text = "Операция проведена в\n2024. году на территории РК.\n"
    assert block_texts(text) == ["Операция проведена в\n2024. году на территории РК."]


def test_blockquotes_keep_their_prefixes_one_block_per_line() -> None:
    text = "> Цитата главы **МВД**\n> > вложенная цитата\n> ## Заголовок\n> - пункт\n>\n"
    assert mark(text) == (
        "> ⟦Цитата главы⟧ **⟦МВД⟧**\n> > ⟦вложенная цитата⟧\n> ## ⟦Заголовок⟧\n> - ⟦пункт⟧\n>\n"
    )
    assert len(blocks(text)) == 4


def test_tables_translate_cells_only() -> None:
    text = (
        "| Страна | Столица |\n"
        "|:------:|---------|\n"
        "| Казахстан | Астана `KZ` |\n"
        "| Кыргызстан \\| КР | 2023 |\n"
    )
    assert mark(text) == (
        "| ⟦Страна⟧ | ⟦Столица⟧ |\n"
        "|:------:|---------|\n"
        "| ⟦Казахстан⟧ | ⟦Астана⟧ `KZ` |\n"
        "| ⟦Кыргызстан⟧ \\| ⟦КР⟧ | 2023 |\n"
    )
    assert len(blocks(text)) == 3  # the delimiter row is no block


@pytest.mark.parametrize(
    "code",
    [
        "```\nСЕКРЕТНЫЙ код\n```\n",
        "```python title='пример'\nprint('СЕКРЕТНЫЙ код')\n\n# комментарий\n```\n",
        "~~~\nСЕКРЕТНЫЙ код\n```\nвсё ещё код\n~~~\n",
        "````\n```\nСЕКРЕТНЫЙ код\n```\n````\n",
        "```\nСЕКРЕТНЫЙ код, а забор не закрыт\n",  # unclosed: code to the end
        "\n    СЕКРЕТНЫЙ код\n\n    всё ещё код\n",
        "\tСЕКРЕТНЫЙ код\n",
        "- пункт\n\n  ```\n  СЕКРЕТНЫЙ код\n  ```\n",
        "> ```\n> СЕКРЕТНЫЙ код\n> ```\n",
    ],
)
def test_code_is_never_translated(code: str) -> None:
    text = "Текст до.\n\n" + code + "\nТекст после."
    assert "СЕКРЕТНЫЙ" not in "".join(s for s in _all_spans(text))
    assert "⟦Текст до.⟧" in mark(text)
    if "не закрыт" not in code:
        assert "⟦Текст после.⟧" in mark(text)


def test_indented_list_continuation_is_text_not_code() -> None:
    text = "- пункт списка\n\n    продолжение пункта\n"
    assert mark(text) == "- ⟦пункт списка⟧\n\n    ⟦продолжение пункта⟧\n"


def test_front_matter_is_skipped_but_a_later_rule_is_not_front_matter() -> None:
    text = "---\ntitle: Встреча министров\nlang: ru\n---\n# Заголовок\n\n---\n\nТекст\n"
    assert mark(text) == (
        "---\ntitle: Встреча министров\nlang: ru\n---\n# ⟦Заголовок⟧\n\n---\n\n⟦Текст⟧\n"
    )


@pytest.mark.parametrize("rule", ["***", "___", "- - -", "  * * *"])
def test_thematic_breaks_are_no_blocks(rule: str) -> None:
    text = f"Первый абзац\n\n{rule}\n\nВторой абзац"
    assert block_texts(text) == ["Первый абзац", "Второй абзац"]


def test_html_blocks_and_comments_are_kept() -> None:
    text = (
        '<div align="center">\nТекст в HTML\n</div>\n\n'
        "<!-- комментарий\nна две строки -->\n"
        "<script>\nvar т = 'МВД';\n\nalert(т);\n</script>\n"
        "Обычный абзац.\n"
    )
    assert _all_spans(text) == ["Обычный абзац."]


def test_a_line_that_merely_starts_with_inline_html_is_text() -> None:
    assert mark("<b>Важно:</b> встреча министров") == "<b>⟦Важно:⟧</b> ⟦встреча министров⟧"


def test_link_reference_definitions_are_no_blocks() -> None:
    text = '[мвд]: https://example.kz/mvd "Сайт МВД"\n\nСм. [сайт][мвд] и [мвд].\n'
    assert mark(text) == (
        '[мвд]: https://example.kz/mvd "Сайт МВД"\n\n⟦См.⟧ [⟦сайт⟧][мвд] ⟦и⟧ [⟦мвд⟧].\n'
    )


def test_footnotes() -> None:
    text = "Операция «Паутина»[^1] проведена.\n\n[^1]: В рамках ШОС.\n"
    assert mark(text) == "⟦Операция «Паутина»⟧[^1] ⟦проведена.⟧\n\n[^1]: ⟦В рамках ШОС.⟧\n"


# --- inline syntax -------------------------------------------------------------------


def test_emphasis_markers_stay_and_split_spans() -> None:
    assert mark("Сотрудники **ОВД** и _МВД_ и __ШОС__ и ~~СНГ~~.") == (
        "⟦Сотрудники⟧ **⟦ОВД⟧** ⟦и⟧ _⟦МВД⟧_ ⟦и⟧ __⟦ШОС⟧__ ⟦и⟧ ~~⟦СНГ⟧~~."
    )
    assert mark("***Важно***") == "***⟦Важно⟧***"


def test_literal_stars_and_underscores_stay_in_the_text() -> None:
    assert mark("файл имя_файла_ру и 2 * 3 км") == "⟦файл имя_файла_ру и 2 * 3 км⟧"
    assert mark("около ~5 км") == "⟦около ~5 км⟧"


def test_inline_code_is_excluded_whole() -> None:
    assert mark("Команда `rutrans --help` и ``код с ` внутри`` конец") == (
        "⟦Команда⟧ `rutrans --help` ⟦и⟧ ``код с ` внутри`` ⟦конец⟧"
    )


def test_links_keep_their_targets() -> None:
    assert mark("См. [сайт МВД](https://example.kz/a_b) сегодня") == (
        "⟦См.⟧ [⟦сайт МВД⟧](https://example.kz/a_b) ⟦сегодня⟧"
    )
    assert mark('[сайт **МВД**](<https://e.kz/a b> "Заголовок ссылки")') == (
        '[⟦сайт⟧ **⟦МВД⟧**](<https://e.kz/a b> "Заголовок ссылки")'
    )
    assert mark("[отчёт](https://e.kz/doc_(1).pdf)") == "[⟦отчёт⟧](https://e.kz/doc_(1).pdf)"


def test_images_translate_only_the_alt_text() -> None:
    assert mark("![Встреча министров](img/meeting_1.png)") == (
        "![⟦Встреча министров⟧](img/meeting_1.png)"
    )


def test_reference_links() -> None:
    assert (
        mark("Читайте [пресс-релиз][pr] и [сайт][]")
        == "⟦Читайте⟧ [⟦пресс-релиз⟧][pr] ⟦и⟧ [⟦сайт⟧][]"
    )


def test_undefined_shortcut_brackets_are_plain_text() -> None:
    assert mark("Он сказал [цитата] вчера") == "⟦Он сказал [цитата] вчера⟧"


def test_urls_and_emails_are_never_sent() -> None:
    assert mark("Сайт <https://mvd.gov.kz/ru> и <press@mvd.kz>.") == (
        "⟦Сайт⟧ <https://mvd.gov.kz/ru> ⟦и⟧ <press@mvd.kz>."
    )
    assert mark("Подробнее: https://mvd.gov.kz/news?id=1&p=2, пишите press@mvd.kz.") == (
        "⟦Подробнее:⟧ https://mvd.gov.kz/news?id=1&p=2⟦, пишите⟧ press@mvd.kz."
    )
    assert mark("(см. www.mvd.kz/a_b)") == "⟦(см.⟧ www.mvd.kz/a_b)"
    assert mark("_https://e.kz/a_b_") == "_https://e.kz/a_b_"


def test_inline_html_entities_and_escapes_are_kept() -> None:
    assert mark('Глава <span class="x">МВД</span> РК') == (
        '⟦Глава⟧ <span class="x">⟦МВД⟧</span> ⟦РК⟧'
    )
    assert mark("ООО&nbsp;«Ромашка»") == "⟦ООО⟧&nbsp;⟦«Ромашка»⟧"
    assert mark(r"Не \*курсив\* вовсе") == r"⟦Не⟧ \*⟦курсив⟧\* ⟦вовсе⟧"
    assert (
        mark("Текст <!-- скрытый\nкомментарий --> дальше")
        == "⟦Текст⟧ <!-- скрытый\nкомментарий --> ⟦дальше⟧"
    )


def test_spans_without_letters_are_dropped() -> None:
    assert blocks("| 2023 | 15 % |\n|---|---|\n| 1 | 2 |\n") == [
        Block(0, 15, ()),
        Block(26, 35, ()),
    ]
    assert _all_spans("- **2024** год") == ["год"]


def test_crlf_blocks_exclude_line_endings() -> None:
    text = "# Встреча\r\n\r\nТекст абзаца\r\nвторая строка\r\n"
    assert block_texts(text) == ["# Встреча", "Текст абзаца\r\nвторая строка"]


def test_empty_and_blank_documents() -> None:
    assert blocks("") == []
    assert blocks("\n\r\n  \n") == []


# --- properties ----------------------------------------------------------------------


def _all_spans(text: str) -> list[str]:
    return [text[b.start + s : b.start + e] for b in blocks(text) for s, e in b.spans]


MARKUP = st.sampled_from(
    [
        *"#>-*+_~`[]()!<>|\\:=&;^ \t",
        *["\n", "\r\n", "\r", "```", "~~~", "    ", "1.", "<!--", "-->", "](", "http://", "@"],
        *["ОВД", "встреча", "министров", "ШОС", "a", "x", "1", "<div>", "</div>", "&nbsp;"],
    ]
)


def _check_invariants(text: str) -> None:
    found = blocks(text)
    previous_end = -1
    for block in found:
        assert previous_end < block.start <= block.end <= len(text)
        assert block.start == 0 or text[block.start - 1] in "\r\n"  # blocks start lines
        assert not text[block.start : block.end].endswith(("\r", "\n"))
        previous_end = block.end
        last = 0
        for start, end in block.spans:
            assert last <= start < end <= block.end - block.start
            span = text[block.start + start : block.start + end]
            assert span == span.strip(), span
            assert any(ch.isalpha() for ch in span), span
            assert "`" not in span, span
            last = end
    # Blanking every span keeps every other character, in order, unchanged.
    kept = [text[: found[0].start]] if found else [text]
    for i, block in enumerate(found):
        pos = block.start
        for start, end in block.spans:
            kept.append(text[pos : block.start + start])
            pos = block.start + end
        nxt = found[i + 1].start if i + 1 < len(found) else len(text)
        kept.append(text[pos:nxt])
    outside = "".join(kept)
    assert outside.count("`") == text.count("`")
    assert len(outside) + sum(len(s) for s in _all_spans(text)) == len(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKUP, max_size=40).map("".join))
def test_any_markdownish_text(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_at_all(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(
    before=st.lists(MARKUP, max_size=15).map("".join),
    fence=st.sampled_from(["```", "~~~", "````"]),
    info=st.sampled_from(["", "python", " bash {.x}"]),
    body=st.lists(st.sampled_from(["СЕКРЕТ", "ОВД", " ", "\n", "*", "[a](b)", "# "]), max_size=10),
)
def test_fenced_code_content_never_reaches_a_span(
    before: str, fence: str, info: str, body: list[str]
) -> None:
    assume("```" not in before and "~~~" not in before)  # an open fence would swallow ours
    text = f"{before}\n\n{fence}{info}\nСЕКРЕТ{''.join(body)}\n{fence}\n\nПосле"
    assert not any("СЕКРЕТ" in s for s in _all_spans(text))
