"""`painwise score CODE --answers 1,2,NA [--json]`: score a questionnaire from the command line.

A thin edge over painwise.core.instruments: parse the answer list, call score(), print the result.
Missing answers are an empty field or NA; bad input exits 2 with the message on stderr.
"""

from __future__ import annotations

from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, print_json
from painwise.core import instruments
from painwise.core.errors import DomainError
from painwise.core.instruments import Instrument, ScoreResult, ScoringConfig

MISSING_TOKENS = {"", "NA"}


def parse_answers(text: str) -> list[int | None]:
    """'1,,NA,3' -> [1, None, None, 3]; any other token that is not a whole number is an input error."""
    parsed: list[int | None] = []
    for index, raw in enumerate(text.split(",")):
        token = raw.strip()
        if token.upper() in MISSING_TOKENS:
            parsed.append(None)
            continue
        try:
            parsed.append(int(token))
        except ValueError:
            raise DomainError(
                "instruments.not_an_integer",
                f"Answer {index + 1} ({token!r}) is not a whole number; leave it empty or write NA if missing.",
                f"answers[{index}]",
            ) from None
    return parsed


def _summary(instrument: Instrument, result: ScoreResult) -> str:
    low, high = instrument.score_range
    if result.total is None:
        total = f"not scorable ({instrument.missing_rule})"
    else:
        total = f"{result.total} (range {low}-{high})"
    lines = [
        f"{instrument.name}: {instrument.title}",
        f"  total:    {total}",
        f"  band:     {result.band or 'none'}",
        f"  answered: {result.answered} of {instrument.n_items}",
    ]
    lines += [f"  {name}: {value if value is not None else 'not scorable'}" for name, value in result.subscales.items()]
    lines.append(f"  flags:    {', '.join(result.flags) or 'none'}")
    if "self_harm" in result.flags or "self_harm_unanswered" in result.flags:
        lines.append("  ATTENTION: item 9 needs same-day clinician follow-up (see docs/questionnaires.md).")
    if instrument.validity_note:
        lines.append(f"  note:     {instrument.validity_note}")
    return "\n".join(lines)


def _print_list(as_json: bool) -> None:
    found = instruments.all_instruments()
    if as_json:
        print_json([instrument.to_dict() for instrument in found])
        return
    for instrument in found:
        low, high = instrument.score_range
        who = "clinician-rated" if instrument.clinician_only else "self-report"
        typer.echo(f"{instrument.code:<5} {instrument.name:<6} {instrument.n_items:>2} items, {low}-{high}, {who}")


@app.command("score")
def score_command(
    code: Annotated[
        str | None, typer.Argument(help="Instrument: peg, phq9, gad7, pcs, sows, cows (or 'list').")
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option("--answers", "-a", help="Comma-separated answers in published order; '' or NA = missing."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    list_codes: Annotated[bool, typer.Option("--list", help="List the instruments and exit.")] = False,
    max_missing: Annotated[
        int, typer.Option("--max-missing", help="Opt in to pro-rating up to N missing items (PEG, PHQ-9, SOWS).")
    ] = 0,
    opt_in_bands: Annotated[
        bool, typer.Option("--opt-in-bands", help="Use the instrument's UNCONFIRMED opt-in bands (SOWS).")
    ] = False,
) -> None:
    """Score a questionnaire exactly as published (see docs/instruments.md)."""
    if list_codes or (code or "").strip().lower() == "list":
        _print_list(as_json)
        return
    if code is None:
        fail("Give an instrument code (peg, phq9, gad7, pcs, sows, cows) or --list.", field="code", as_json=as_json)
    if answers is None:
        fail("--answers is required, e.g. --answers 1,2,0 (NA or empty = missing).", field="answers", as_json=as_json)
    with domain_errors(as_json=as_json):
        instrument = instruments.get(code)
        if opt_in_bands and not instrument.opt_in_bands:
            raise DomainError("instruments.config_not_supported", f"{instrument.name} has no opt-in bands.", "config")
        config = ScoringConfig(max_missing=max_missing, bands=instrument.opt_in_bands if opt_in_bands else None)
        result = instruments.score(instrument.code, parse_answers(answers), config)
    if as_json:
        print_json(result.to_dict())
    else:
        typer.echo(_summary(instrument, result))
