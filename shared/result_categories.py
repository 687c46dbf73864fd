"""The default result categories (抽查检查结果类别) of the national co-supervision platform.

Source: /shared/reference/result-categories.md (a provincial implementation that
mirrors the national enterprise credit publicity system). The server seeds its
editable category table with this list; each result gets exactly one category.
A category with children (such as `A` 发现问题待后续处理, or `2`) is a grouping
node: a result takes one of its children, the more precise wording.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_CATEGORIES", "DefaultCategory"]


@dataclass(frozen=True)
class DefaultCategory:
    code: str
    zh: str
    en: str
    parent: str | None = None


DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory("1", "未发现问题", "No problem found"),
    DefaultCategory("A", "发现问题待后续处理", "Problem found, follow-up pending"),
    DefaultCategory(
        "2", "违反工商行政管理相关规定", "Breach of business administration rules", "A"
    ),
    DefaultCategory("B", "未按规定公示应当公示的信息", "Required information not disclosed", "2"),
    DefaultCategory("C", "公示信息隐瞒真实情况、弄虚作假", "Disclosed information false", "2"),
    DefaultCategory(
        "6", "通过登记的住所（经营场所）无法联系", "Unreachable at the registered address", "2"
    ),
    DefaultCategory(
        "D", "违反其他工商行政管理规定行为", "Other business administration breach", "2"
    ),
    DefaultCategory("3", "违反食品药品管理相关规定", "Breach of food and drug rules", "A"),
    DefaultCategory("4", "违反质量技术监督相关规定", "Breach of quality supervision rules", "A"),
    DefaultCategory("5", "违反其他部门相关规定", "Breach of other departments' rules", "A"),
    DefaultCategory("E", "发现问题经责令已改正", "Problem found and corrected on order"),
    DefaultCategory("F", "未发现开展本次抽查涉及的经营活动", "Inspected activity not carried on"),
    DefaultCategory("7", "已关闭停业或正在组织清算", "Closed or in liquidation"),
    DefaultCategory("8", "不配合检查情节严重", "Serious refusal to cooperate"),
    DefaultCategory("9", "已注销", "Deregistered"),
    DefaultCategory("10", "被吊销", "Licence revoked"),
    DefaultCategory("11", "被撤销", "Registration cancelled"),
    DefaultCategory("12", "迁出", "Moved out of the jurisdiction"),
)
