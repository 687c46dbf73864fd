"""The verifiable random draw `suicha-draw/1` (双随机抽签), as pure functions.

The contract is the spec page draw-v1.md; an independent implementation
written from that page reaches the same record. Record format choices and
the amendment entry shape: shared/draw/README.md.
"""

from shared.draw.amendments import amend
from shared.draw.counting import object_count
from shared.draw.model import DepartmentSpec, DrawInput, StratumSpec
from shared.draw.objects import select_objects
from shared.draw.population import population_digest, population_text
from shared.draw.record import ALGORITHM, run_draw
from shared.draw.seed import commitment, derive_seed, new_server_secret
from shared.draw.verify import Discrepancy, verify_record

__all__ = [
    "ALGORITHM",
    "DepartmentSpec",
    "Discrepancy",
    "DrawInput",
    "StratumSpec",
    "amend",
    "commitment",
    "derive_seed",
    "new_server_secret",
    "object_count",
    "population_digest",
    "population_text",
    "run_draw",
    "select_objects",
    "verify_record",
]
