"""Verifying a published draw record (公开验证): re-run everything from its inputs.

`verify_record` never trusts a derived field: the commitment is checked
against the revealed secret, the digest, seed, selections and teams are
recomputed from the published populations, ratios, caps, pools, conflicts and
witness input, and the amendments are replayed in order. An empty list means
every published field matches.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.draw.amendments import apply_amendment, replacement_for
from shared.draw.counting import object_count
from shared.draw.inspectors import assign_inspectors
from shared.draw.objects import select_from
from shared.draw.population import digest_of_ordered
from shared.draw.record import ALGORITHM, algorithm_departments, conflict_map, copy_assignments
from shared.draw.text import all_clean, first_repeat
from shared.errors import SuichaError

# Beyond this many mismatching tasks the rest are summed up in one line: a wrong
# seed changes every task, and a thousand lines would hide the cause.
_MAX_TASK_REPORTS = 20
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Discrepancy:
    """One published field that does not match what the inputs give."""

    field: str
    expected: Any
    found: Any
    message_zh: str
    message_en: str


class _Malformed(Exception):
    def __init__(self, field: str, zh: str, en: str, found: Any = None) -> None:
        super().__init__(field)
        self.discrepancy = Discrepancy(field, None, found, zh, en)


def verify_record(record: Mapping[str, Any]) -> list[Discrepancy]:
    """Every discrepancy between the record and a re-run of the draw from its inputs."""
    found: list[Discrepancy] = []
    try:
        _verify(record, found)
    except _Malformed as malformed:
        found.append(malformed.discrepancy)
    return found


def _require(record: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(record, Mapping) or key not in record:
        raise _Malformed(key, f"记录缺少字段“{key}”", f"the record has no field {key!r}")
    value = record[key]
    if not isinstance(value, kind):
        raise _Malformed(
            key, f"字段“{key}”的类型不正确", f"the field {key!r} has the wrong type", value
        )
    return value


def _strings(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not set(map(type, value)) <= {str}:
        raise _Malformed(field, f"“{field}”应为字符串列表", f"{field} must be a list of strings")
    return value


def _verify(record: Mapping[str, Any], out: list[Discrepancy]) -> None:
    algorithm = _require(record, "algorithm", str)
    if algorithm != ALGORITHM:
        out.append(
            Discrepancy(
                "algorithm",
                ALGORITHM,
                algorithm,
                f"算法名称应为{ALGORITHM}",
                f"the algorithm must be {ALGORITHM}",
            )
        )
        return
    secret = _check_secret(record, out)
    if secret is None:
        return
    ordered, specs = _populations(record, out)
    digest = digest_of_ordered(ordered)
    _compare(
        out,
        "population_digest",
        digest,
        record.get("population_digest"),
        "对象名录摘要与公布的名录不符",
        "the population digest does not match the populations",
    )
    witness_input = _require(record, "witness_input", str)
    plan_id = _require(record, "plan_id", str)
    if not witness_input.strip():
        out.append(
            Discrepancy(
                "witness_input",
                "non-empty",
                witness_input,
                "见证人输入为空",
                "the witness input is empty",
            )
        )
    text = "|" + witness_input + "|" + digest + "|" + plan_id
    seed = hashlib.sha256(secret + text.encode("utf-8")).digest()
    _compare(
        out,
        "seed",
        seed.hex(),
        record.get("seed"),
        "随机种子与密钥、见证人输入、名录摘要和计划编号不符",
        "the seed does not follow from the secret, witness input, digest and plan id",
    )

    selected = {
        name: select_from(seed, ids, object_count(len(ids), *specs[name]))
        for name, ids in ordered.items()
    }
    _check_selected(record, ordered, selected, out)
    tasks = [x for ids in selected.values() for x in ids]

    departments = _departments(record)
    conflicts = _conflicts(record)
    assignments = assign_inspectors(
        seed, tasks, algorithm_departments(departments), conflict_map(conflicts)
    )
    published = _require(record, "assignments", list)
    _compare_tasks(out, "assignments", assignments, published)

    current = _replay_amendments(record, seed, departments, conflicts, assignments, out)
    if "current_assignments" in record:
        _compare_tasks(out, "current_assignments", current, record["current_assignments"])


def _check_secret(record: Mapping[str, Any], out: list[Discrepancy]) -> bytes | None:
    commitment = _require(record, "commitment", str)
    revealed = record.get("server_secret")
    if revealed is None:
        out.append(
            Discrepancy(
                "server_secret",
                "revealed",
                None,
                "服务器密钥尚未公开，无法验证",
                "the server secret is not revealed yet",
            )
        )
        return None
    if not isinstance(revealed, str) or _HEX64.fullmatch(revealed) is None:
        out.append(
            Discrepancy(
                "server_secret",
                "64 lowercase hex digits",
                revealed,
                "服务器密钥应为64位小写十六进制",
                "the server secret must be 64 lowercase hex digits",
            )
        )
        return None
    secret = bytes.fromhex(revealed)
    _compare(
        out,
        "commitment",
        hashlib.sha256(secret).hexdigest(),
        commitment,
        "公开的服务器密钥与事先公布的承诺值不符",
        "the revealed server secret does not match the published commitment",
    )
    return secret


def _populations(
    record: Mapping[str, Any], out: list[Discrepancy]
) -> tuple[dict[str, list[str]], dict[str, tuple[str, int | None]]]:
    strata = _require(record, "strata", dict)
    if not strata:
        out.append(
            Discrepancy("strata", "at least one stratum", {}, "没有任何分层", "there is no stratum")
        )
    ordered: dict[str, list[str]] = {}
    specs: dict[str, tuple[str, int | None]] = {}
    for name in sorted(strata):
        stratum = strata[name]
        field = f"strata.{name}"
        if not isinstance(stratum, Mapping):
            raise _Malformed(field, f"分层“{name}”格式不正确", f"stratum {name!r} is malformed")
        ids = _strings(stratum.get("population"), f"{field}.population")
        try:
            object_count(len(ids), stratum.get("ratio"), stratum.get("cap"))
        except SuichaError as error:
            raise _Malformed(
                f"{field}.ratio",
                error.detail_zh,
                error.detail_en,
                [stratum.get("ratio"), stratum.get("cap")],
            ) from error
        specs[name] = (stratum["ratio"], stratum.get("cap"))
        ordered[name] = sorted(ids)
    if not _populations_clean(ordered):
        _report_population_problems(ordered, out)
    exclusions = _require(record, "exclusions", list)
    seen: set[str] = set()
    for index, entry in enumerate(exclusions):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            raise _Malformed(
                f"exclusions[{index}]", "排除名单条目格式不正确", "malformed exclusion"
            )
        x = entry["id"]
        owner = _stratum_of(ordered, x)
        if owner is not None:
            out.append(
                Discrepancy(
                    f"exclusions[{index}]",
                    "not in any population",
                    x,
                    f"已排除的编号{x}仍在分层{owner}的名录中",
                    f"excluded ID {x} is still in the population of stratum {owner}",
                )
            )
        if x in seen:
            out.append(
                Discrepancy(
                    f"exclusions[{index}]",
                    "unique IDs",
                    x,
                    f"排除名单中编号{x}重复",
                    f"ID {x} is excluded twice",
                )
            )
        seen.add(x)
        if not isinstance(entry.get("reason"), str) or not entry["reason"]:
            out.append(
                Discrepancy(
                    f"exclusions[{index}].reason",
                    "a reason code",
                    entry.get("reason"),
                    f"排除编号{x}没有原因代码",
                    f"exclusion of {x} has no reason code",
                )
            )
    return ordered, specs


def _populations_clean(ordered: Mapping[str, list[str]]) -> bool:
    """Fast check: every ID valid and NFC, none repeated within or across strata."""
    if not all(all_clean(ids) and first_repeat(ids) is None for ids in ordered.values()):
        return False
    if len(ordered) < 2:
        return True
    largest = max(ordered, key=lambda name: len(ordered[name]))
    seen: set[str] = set()
    others = 0
    for name, ids in ordered.items():
        if name != largest:
            seen.update(ids)
            others += len(ids)
    return len(seen) == others and seen.isdisjoint(ordered[largest])


def _report_population_problems(ordered: Mapping[str, list[str]], out: list[Discrepancy]) -> None:
    owner: dict[str, str] = {}
    for name, ids in ordered.items():
        field = f"strata.{name}.population"
        for x in ids:
            if x in owner:
                out.append(
                    Discrepancy(
                        field,
                        "unique IDs",
                        x,
                        f"编号{x}在名录中重复出现（{owner[x]}、{name}）",
                        f"ID {x} appears twice in the populations ({owner[x]}, {name})",
                    )
                )
            owner[x] = name
            if not all_clean([x]):
                out.append(
                    Discrepancy(
                        field,
                        "non-empty NFC ID without control characters",
                        x,
                        f"编号{x!r}为空、不是规范（NFC）形式或含控制字符",
                        f"ID {x!r} is empty, not in NFC or holds a control character",
                    )
                )


def _stratum_of(ordered: Mapping[str, list[str]], x: str) -> str | None:
    for name, ids in ordered.items():
        at = bisect.bisect_left(ids, x)
        if at < len(ids) and ids[at] == x:
            return name
    return None


def _check_selected(
    record: Mapping[str, Any],
    ordered: Mapping[str, Sequence[str]],
    selected: Mapping[str, list[str]],
    out: list[Discrepancy],
) -> None:
    published = _require(record, "selected", dict)
    for name in sorted(set(published) - set(selected)):
        out.append(
            Discrepancy(
                f"selected.{name}",
                None,
                published[name],
                f"抽中结果含不存在的分层{name}",
                f"the selection names unknown stratum {name}",
            )
        )
    for name, expected in selected.items():
        field = f"selected.{name}"
        got = published.get(name)
        if got == expected:
            continue
        population = set(ordered[name])
        strays = [x for x in got if x not in population] if isinstance(got, list) else []
        if strays:
            out.append(
                Discrepancy(
                    field,
                    "IDs of the population",
                    strays,
                    f"分层{name}的抽中对象不在该分层名录中：{'、'.join(map(str, strays))}",
                    f"drawn IDs not in the population of stratum {name}: {strays}",
                )
            )
        if isinstance(got, list) and len(set(map(str, got))) != len(got):
            out.append(
                Discrepancy(
                    field,
                    "no repeated ID",
                    got,
                    f"分层{name}的抽中对象有重复",
                    f"stratum {name} lists a drawn ID twice",
                )
            )
        if isinstance(got, list) and len(got) != len(expected):
            out.append(
                Discrepancy(
                    f"{field}.count",
                    len(expected),
                    len(got),
                    f"分层{name}应抽取{len(expected)}户，公布了{len(got)}户",
                    f"stratum {name} should give {len(expected)} objects, "
                    f"the record lists {len(got)}",
                )
            )
        elif isinstance(got, list) and sorted(got) == sorted(expected):
            out.append(
                Discrepancy(
                    field,
                    expected,
                    got,
                    f"分层{name}的抽中对象顺序与随机键顺序不符",
                    f"stratum {name}: the drawn IDs are not in key order",
                )
            )
            continue
        out.append(
            Discrepancy(
                field,
                expected,
                got,
                f"分层{name}的抽中对象与重新抽取的结果不符",
                f"stratum {name}: the drawn IDs differ from the re-run",
            )
        )


def _departments(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    departments = _require(record, "departments", list)
    result = []
    for index, dept in enumerate(departments):
        field = f"departments[{index}]"
        if (
            not isinstance(dept, Mapping)
            or not isinstance(dept.get("code"), str)
            or type(dept.get("per_task")) is not int
            or dept["per_task"] < 1
        ):
            raise _Malformed(field, "部门条目格式不正确", "malformed department entry", dept)
        pool = _strings(dept.get("pool"), f"{field}.pool")
        result.append({"code": dept["code"], "per_task": dept["per_task"], "pool": sorted(pool)})
    if not result:
        raise _Malformed("departments", "没有参与部门", "there is no participating department")
    return result


def _conflicts(record: Mapping[str, Any]) -> list[dict[str, str]]:
    conflicts = _require(record, "conflicts", list)
    for index, pair in enumerate(conflicts):
        if not isinstance(pair, Mapping) or not all(
            isinstance(pair.get(k), str) for k in ("object_id", "inspector_id")
        ):
            raise _Malformed(
                f"conflicts[{index}]", "回避条目格式不正确", "malformed conflict entry"
            )
    return conflicts


def _replay_amendments(
    record: Mapping[str, Any],
    seed: bytes,
    departments: list[dict[str, Any]],
    conflicts: list[dict[str, str]],
    assignments: Sequence[Mapping[str, Any]],
    out: list[Discrepancy],
) -> list[dict[str, Any]]:
    amendments = _require(record, "amendments", list)
    current = copy_assignments(assignments)
    by_object = {task["object_id"]: task for task in current}
    context = {"conflicts": conflicts, "departments": departments, "seed": seed.hex()}
    done: list[Mapping[str, Any]] = []
    for index, entry in enumerate(amendments):
        field = f"amendments[{index}]"
        keys = ("object_id", "department", "removed", "reason", "at")
        if not isinstance(entry, Mapping) or not all(isinstance(entry.get(k), str) for k in keys):
            raise _Malformed(field, "变更条目格式不正确", "malformed amendment entry", entry)
        late = entry.get("conflicts", [])
        _conflicts({"conflicts": late})
        task = by_object.get(entry["object_id"])
        team = task["inspectors"].get(entry["department"]) if task else None
        if team is None or entry["removed"] not in team:
            out.append(
                Discrepancy(
                    field,
                    "an inspector on that team",
                    entry["removed"],
                    f"第{index + 1}条变更撤换的人员不在该任务的{entry['department']}检查组中",
                    f"amendment {index + 1} removes someone not on that {entry['department']} team",
                )
            )
            continue
        expected = replacement_for(
            context, current, done, entry["object_id"], entry["department"], entry["removed"], late
        )
        _compare(
            out,
            f"{field}.replacement",
            expected,
            entry.get("replacement"),
            f"第{index + 1}条变更的替补人员与规则选出的不符",
            f"amendment {index + 1}: the replacement is not the one the rule picks",
        )
        apply_amendment(task, entry["department"], entry["removed"], expected)
        done.append({**entry, "conflicts": late})
    return current


def _compare(
    out: list[Discrepancy], field: str, expected: Any, found: Any, zh: str, en: str
) -> None:
    if expected != found:
        out.append(Discrepancy(field, expected, found, zh, en))


def _compare_tasks(
    out: list[Discrepancy], field: str, expected: Sequence[Mapping[str, Any]], found: Any
) -> None:
    if not isinstance(found, list):
        raise _Malformed(field, f"“{field}”应为列表", f"{field} must be a list", found)
    if len(found) != len(expected):
        out.append(
            Discrepancy(
                f"{field}.count",
                len(expected),
                len(found),
                f"应有{len(expected)}项任务，公布了{len(found)}项",
                f"there should be {len(expected)} tasks, the record lists {len(found)}",
            )
        )
    reported = 0
    for index, (want, got) in enumerate(zip(expected, found, strict=False)):
        if _same_task(want, got):
            continue
        if reported == _MAX_TASK_REPORTS:
            remaining = sum(
                1
                for w, g in zip(expected[index:], found[index:], strict=False)
                if not _same_task(w, g)
            )
            out.append(
                Discrepancy(
                    field,
                    None,
                    remaining,
                    f"另有{remaining}项任务与重新抽取的结果不符",
                    f"{remaining} more tasks differ from the re-run",
                )
            )
            return
        reported += 1
        out.append(
            Discrepancy(
                f"{field}[{index}]",
                want,
                got,
                f"第{index + 1}项任务（对象{want['object_id']}）的检查人员与重新抽取的结果不符",
                f"task {index + 1} (object {want['object_id']}): the inspectors differ "
                "from the re-run",
            )
        )


def _same_task(want: Mapping[str, Any], got: Any) -> bool:
    return (
        isinstance(got, Mapping)
        and got.get("object_id") == want["object_id"]
        and got.get("inspectors") == want["inspectors"]
        and got.get("understaffed") == want["understaffed"]
    )
