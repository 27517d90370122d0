"""The server-side SVG charts of the training reports (lms.charts)."""

import xml.etree.ElementTree as ET

from lms.charts import C_PLOT_HEIGHT, H_PLOT_WIDTH, Bar, column_chart, horizontal_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # fails on markup that is not well-formed


def bar_lengths(root: ET.Element, attribute: str) -> list[float]:
    return [float(rect.get(attribute)) for rect in root.iter(f"{SVG}rect")]


def test_a_bar_chart_is_an_image_named_by_its_title_and_description():
    root = parse(
        horizontal_bar_chart(
            [Bar("KWP Lublin", 50, "50 %")], title="Ukończenia", description="Opis", chart_id="c"
        )
    )

    assert root.get("role") == "img"
    assert (root.get("aria-labelledby"), root.get("aria-describedby")) == ("c-title", "c-desc")
    assert root.find(f"{SVG}title").text == "Ukończenia"
    assert root.find(f"{SVG}title").get("id") == "c-title"
    assert root.find(f"{SVG}desc").text == "Opis"
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts == ["KWP Lublin", "50 %"]


def test_labels_titles_and_texts_are_escaped():
    svg = horizontal_bar_chart(
        [Bar('<script>alert("x")</script> & Co', 1, "<b>1</b>")],
        title="A & <B>",
        description='"quoted"',
        chart_id='x" onload="alert(1)',
    )

    assert "<script>" not in svg and "<b>" not in svg and 'onload="' not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "A & <B>"
    assert next(root.iter(f"{SVG}text")).text.startswith('<script>alert("x")')


def test_bars_scale_to_the_maximum_and_stay_within_the_plot():
    bars = [Bar("a", 50), Bar("b", 100), Bar("c", 150), Bar("d", -20), Bar("e", 0)]

    root = parse(horizontal_bar_chart(bars, title="t", description="d", chart_id="c", maximum=100))

    assert bar_lengths(root, "width") == [H_PLOT_WIDTH / 2, H_PLOT_WIDTH, H_PLOT_WIDTH, 0, 0]


def test_without_a_maximum_the_largest_value_fills_the_plot():
    root = parse(
        column_chart([Bar("0–10", 1), Bar("10–20", 4)], title="t", description="d", chart_id="c")
    )

    assert bar_lengths(root, "height") == [C_PLOT_HEIGHT / 4, C_PLOT_HEIGHT]


def test_all_zero_values_draw_empty_bars_rather_than_dividing_by_zero():
    root = parse(column_chart([Bar("a", 0), Bar("b", 0)], title="t", description="d", chart_id="c"))

    assert bar_lengths(root, "height") == [0, 0]


def test_no_data_no_chart():
    assert horizontal_bar_chart([], title="t", description="d", chart_id="c") == ""
    assert column_chart([], title="t", description="d", chart_id="c") == ""


def test_long_labels_are_shortened_and_indented_by_level():
    root = parse(
        horizontal_bar_chart(
            [Bar("Komenda Główna Policji", 1), Bar("K" * 80, 1)],
            title="t",
            description="d",
            chart_id="c",
            indents=[0, 2],
        )
    )

    labels = [text for text in root.iter(f"{SVG}text")][::2]
    assert labels[0].text == "Komenda Główna Policji"
    assert labels[1].text.endswith("…") and len(labels[1].text) < 40
    assert float(labels[1].get("x")) > float(labels[0].get("x"))
