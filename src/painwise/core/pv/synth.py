"""A FAERS-like synthetic report database, seeded, with planted FICTIONAL signals and rate-ratio-1 controls.

Everything here is invented: product names ("PRODUCT 0042"), the planted associations (including
KRATOM → ALOPECIA) and their strengths are fictional, chosen to test whether signal detection recovers a
known truth. No published study links kratom to hair loss; nothing generated here says it does.

Reports draw 1 + Poisson(0.6) products and 1 + Poisson(1.5) events, each from a Zipf distribution (rank^-s)
over thousands of products and events. Like real data, reports are heterogeneous: each product belongs to
one of 25 classes and a report takes the class of its first product; 35% of its event draws come from that
class's own Zipf ranking of the events (a random permutation), so many background pairs have rate ratios
above or below 1. The planted and control events are *reserved*: they are drawn only from the global
ranking, so their rate is the same whatever the products — rate ratio exactly 1 — until planted.
A planted pair (product p, event e, rate ratio R) adds e to a fraction f = r_e·(R − 1)/(1 − r_e) of the
reports listing p (r_e = e's baseline report rate), which makes
e's rate among p's reports about R times its rate elsewhere. Controls are pairs of similar frequency left
at rate ratio 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from painwise.core.pv.table import connect

KRATOM = "KRATOM"
CLASSES = 25
CLASS_SHARE = 0.35
# (product, event, planted rate ratio) — fictional.
PLANTED: tuple[tuple[str, str, float], ...] = (
    (KRATOM, "ALOPECIA", 4.0),
    (KRATOM, "HEPATIC ENZYME INCREASED", 3.0),
    (KRATOM, "CONSTIPATION", 2.5),
    ("FICTIONAL DRUG A", "RASH", 3.0),
    ("FICTIONAL DRUG A", "PRURITUS", 5.0),
    ("FICTIONAL DRUG B", "DIZZINESS", 2.5),
    ("FICTIONAL DRUG B", "TINNITUS", 6.0),
    ("FICTIONAL DRUG C", "INSOMNIA", 3.0),
    ("FICTIONAL DRUG C", "PALPITATIONS", 4.0),
    ("FICTIONAL DRUG D", "NAUSEA", 2.5),
)
CONTROL_EVENTS = ("HEADACHE", "FATIGUE", "ARTHRALGIA", "COUGH")  # each planted product × these: rate ratio 1
NAMED_PRODUCT_RANKS = {KRATOM: 25, "FICTIONAL DRUG A": 10, "FICTIONAL DRUG B": 60, "FICTIONAL DRUG C": 120,
                       "FICTIONAL DRUG D": 5}  # fmt: skip
NAMED_EVENT_RANKS = {"NAUSEA": 1, "HEADACHE": 2, "FATIGUE": 4, "DIZZINESS": 6, "RASH": 10, "ARTHRALGIA": 12,
                     "CONSTIPATION": 20, "COUGH": 22, "PRURITUS": 25, "ALOPECIA": 30, "HEPATIC ENZYME INCREASED": 45,
                     "INSOMNIA": 50, "PALPITATIONS": 70, "TINNITUS": 80}  # fmt: skip


@dataclass(frozen=True)
class Truth:
    planted: tuple[tuple[str, str, float], ...]
    controls: tuple[tuple[str, str], ...]

    def frame(self) -> pd.DataFrame:
        rows = [(p, e, r, "planted") for p, e, r in self.planted]
        rows += [(p, e, 1.0, "control") for p, e in self.controls]
        return pd.DataFrame(rows, columns=["var1", "var2", "rate_ratio", "kind"])


def truth() -> Truth:
    products = sorted({p for p, _, _ in PLANTED})
    controls = tuple((p, e) for p in products for e in CONTROL_EVENTS if (p, e) not in {(a, b) for a, b, _ in PLANTED})
    return Truth(PLANTED, controls)


def _names(n: int, prefix: str, named: dict[str, int]) -> list[str]:
    width = len(str(n))
    names = [f"{prefix} {i:0{width}d}" for i in range(1, n + 1)]
    for name, rank in named.items():
        names[rank - 1] = name
    return names


def _zipf_sampler(n: int, s: float, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
    weights = 1.0 / np.arange(1, n + 1) ** s
    cdf = np.cumsum(weights / weights.sum())

    def draw(k: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cdf, rng.random(k)), n - 1).astype(np.int32)

    return draw


def generate(
    out: str | Path,
    *,
    reports: int,
    products: int = 3000,
    events: int = 2000,
    seed: int = 1,
    chunk: int = 1_000_000,
    zipf_s: float = 1.1,
    progress: Callable[[int], None] | None = None,
) -> Truth:
    """Write the long table id,var1,var2,sex,age_group (Parquet or CSV by extension) for `reports` reports."""
    rng = np.random.default_rng(seed)
    product_names = _names(products, "PRODUCT", NAMED_PRODUCT_RANKS)
    event_names = _names(events, "EVENT", NAMED_EVENT_RANKS)
    p_draw = _zipf_sampler(products, zipf_s, rng)
    e_draw = _zipf_sampler(events, zipf_s, rng)
    reserved = {e for _, e, _ in PLANTED} | set(CONTROL_EVENTS)
    eligible = np.array([i for i, name in enumerate(event_names) if name not in reserved], dtype=np.int32)
    class_of = rng.integers(0, CLASSES, products)
    class_perm = [rng.permutation(eligible) for _ in range(CLASSES)]
    c_draw = _zipf_sampler(eligible.size, zipf_s, rng)
    # Baseline probability that a report lists event e (for the planted fraction); reserved events are
    # drawn only by the global share of draws.
    e_weights = (1 - CLASS_SHARE) / np.arange(1, events + 1) ** zipf_s
    e_weights /= (1.0 / np.arange(1, events + 1) ** zipf_s).sum()
    mean_events = 2.5
    p_index = {name: i for i, name in enumerate(product_names)}
    e_index = {name: i for i, name in enumerate(event_names)}
    plan = []
    for p, e, ratio in PLANTED:
        r_e = 1 - (1 - e_weights[e_index[e]]) ** mean_events
        plan.append((p_index[p], e_index[e], r_e * (ratio - 1) / (1 - r_e)))
    con = connect()
    con.execute("CREATE TABLE prod (id BIGINT, p INTEGER)")
    con.execute("CREATE TABLE ev (id BIGINT, e INTEGER)")
    con.execute("CREATE TABLE rep (id BIGINT, sex VARCHAR, age_group VARCHAR)")
    done = 0
    while done < reports:
        k = min(chunk, reports - done)
        ids = np.arange(done, done + k, dtype=np.int64)
        n_p = 1 + rng.poisson(0.6, k)
        n_e = 1 + rng.poisson(1.5, k)
        prod = pd.DataFrame({"id": np.repeat(ids, n_p), "p": p_draw(int(n_p.sum()))})
        first = prod["p"].to_numpy()[np.concatenate([[0], np.cumsum(n_p)[:-1]])]
        ev_ids = np.repeat(ids, n_e)
        ev_cls = np.repeat(class_of[first], n_e)
        codes = e_draw(ev_ids.size)
        from_class = rng.random(ev_ids.size) < CLASS_SHARE
        ranks = c_draw(int(from_class.sum()))
        cls = ev_cls[from_class]
        class_codes = np.empty(ranks.size, dtype=np.int32)
        for c in range(CLASSES):
            sel = cls == c
            class_codes[sel] = class_perm[c][ranks[sel]]
        codes[from_class] = class_codes
        ev = pd.DataFrame({"id": ev_ids, "e": codes})
        extra = []
        for p_code, e_code, frac in plan:
            having = prod["id"].to_numpy()[prod["p"].to_numpy() == p_code]
            having = np.unique(having)
            chosen = having[rng.random(having.size) < frac]
            extra.append(pd.DataFrame({"id": chosen, "e": np.full(chosen.size, e_code, dtype=np.int32)}))
        ev = pd.concat([ev, *extra], ignore_index=True)
        rep = pd.DataFrame(
            {
                "id": ids,
                "sex": np.where(rng.random(k) < 0.6, "F", "M"),
                "age_group": np.array(["under_18", "18_64", "65_plus"])[rng.choice(3, k, p=[0.1, 0.6, 0.3])],
            }
        )
        con.register("prod_chunk", prod)
        con.register("ev_chunk", ev)
        con.register("rep_chunk", rep)
        con.execute("INSERT INTO prod SELECT * FROM prod_chunk")
        con.execute("INSERT INTO ev SELECT * FROM ev_chunk")
        con.execute("INSERT INTO rep SELECT * FROM rep_chunk")
        for name in ("prod_chunk", "ev_chunk", "rep_chunk"):
            con.unregister(name)
        done += k
        if progress:
            progress(done)
    con.register("pnames", pd.DataFrame({"p": np.arange(products, dtype=np.int32), "var1": product_names}))
    con.register("enames", pd.DataFrame({"e": np.arange(events, dtype=np.int32), "var2": event_names}))
    target = Path(out)
    fmt = "FORMAT parquet" if target.suffix.lower() in (".parquet", ".pq") else "FORMAT csv, HEADER true"
    con.execute(
        "COPY (SELECT DISTINCT prod.id, pn.var1, en.var2, rep.sex, rep.age_group FROM prod JOIN ev USING (id) "
        f"JOIN rep USING (id) JOIN pnames pn USING (p) JOIN enames en USING (e)) TO '{target}' ({fmt})"
    )
    con.close()
    return truth()
