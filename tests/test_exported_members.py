"""The public API: kg.__all__ is sorted (constants, classes, functions) and complete."""

from __future__ import annotations

import kg


def test_exported_members_exist_and_are_sorted():
    assert kg.__all__ == sorted(kg.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    assert all(hasattr(kg, name) for name in kg.__all__)
    public = {n for n, v in vars(kg).items() if not n.startswith("_") and getattr(v, "__module__", "kg")
              .startswith("kg.") and not isinstance(v, type(kg))}
    assert public <= set(kg.__all__), public - set(kg.__all__)
