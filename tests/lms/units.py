"""A small unit tree for the accounts tests: national HQ → voivodeship HQ → district."""

from lms.models import Unit


def make_units() -> dict[str, Unit]:
    national = Unit.add_root(code="kgp", name="Komenda Główna Policji", kind=Unit.Kind.NATIONAL)
    lublin = national.add_child(
        code="kwp-lublin", name="KWP w Lublinie", kind=Unit.Kind.VOIVODESHIP
    )
    chelm = lublin.add_child(code="kmp-chelm", name="KMP w Chełmie", kind=Unit.Kind.DISTRICT)
    rzeszow = national.add_child(
        code="kwp-rzeszow", name="KWP w Rzeszowie", kind=Unit.Kind.VOIVODESHIP
    )
    return {unit.code: unit for unit in (national, lublin, chelm, rzeszow)}
