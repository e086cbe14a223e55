"""WhatsApp templates as the inbox offers them: Meta's JSON read into a typed template,
and a body filled with the consultant's values (services/templates.py)."""

from __future__ import annotations

from smarterchat.backend.services import templates

META = {
    "name": "pedido_enviado", "language": "pt_BR", "status": "APPROVED",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Seu pedido {{1}}"},
        {"type": "body", "text": "Olá {{1}}, seu pedido {{2}} saiu para entrega."},
        {"type": "FOOTER", "text": "Loja Demo"},
    ],
}


def test_a_meta_template_reads_its_body_and_counts_its_placeholders():
    found = templates.from_meta(META)
    assert found == templates.Template(
        key="pedido_enviado|pt_BR", name="pedido_enviado", language="pt_BR",
        body="Olá {{1}}, seu pedido {{2}} saiu para entrega.", params=2)


def test_placeholders_count_only_an_unbroken_run_from_one():
    assert templates.placeholders("sem valores") == 0
    assert templates.placeholders("{{1}} e {{3}}") == 1  # {{2}} missing: {{3}} is text
    assert templates.from_meta({"name": "x", "components": None}).params == 0


def test_filling_replaces_each_placeholder_and_leaves_the_rest():
    body = templates.from_meta(META).body
    assert templates.fill(body, ["Ana", "#123"]) == "Olá Ana, seu pedido #123 saiu para entrega."
    assert templates.fill(body, ["Ana"]) == "Olá Ana, seu pedido {{2}} saiu para entrega."


def test_what_goes_to_meta_names_the_template_and_its_values():
    found = templates.from_meta(META)
    assert templates.outbound(found, ["Ana", "#123"]) == {
        "name": "pedido_enviado", "language": "pt_BR", "parameters": ["Ana", "#123"]}
