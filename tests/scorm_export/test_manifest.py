"""Manifest building, on a hand-made plan (no database)."""

import pytest
from lxml import etree

from scorm_export.files import PackageFile
from scorm_export.manifest import build_manifest
from scorm_export.options import ExportOptions
from scorm_export.plan import PackagePlan, PagePlan, ScoPlan

from .xsd import safe_parser, validate

NS12 = {
    "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
}
NS2004 = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
}


def make_plan(version: str, mastery_score: int | None = None, scos: int = 2) -> PackagePlan:
    sco_plans = []
    files = []
    for number in range(1, scos + 1):
        folder = f"module-{number}"
        media = f"media/images/img-{number}.webp"
        sco_plans.append(
            ScoPlan(
                identifier=folder,
                folder=folder,
                title=f"Moduł {number} – „cudzysłów” & <znaki>",
                pages=(PagePlan("page-1", "Strona"),),
                files=(f"{folder}/index.html", media),
                config={},
            )
        )
        files += [
            PackageFile(f"{folder}/index.html", "text", text="<html></html>"),
            PackageFile(media, "storage", source=f"images/img-{number}.webp"),
        ]
    runtime = [PackageFile("runtime/sco.js", "local", source="/dev/null")]
    return PackagePlan(
        identifier="MANIFEST-kurs-pl",
        title="Poszukiwania międzynarodowe",
        language="pl",
        options=ExportOptions(version=version, mastery_score=mastery_score),
        scos=tuple(sco_plans),
        shared=("runtime/sco.js",),
        files=tuple(sorted([*files, *runtime], key=lambda f: f.path)),
    )


def parse(data: bytes):
    return etree.fromstring(data, safe_parser())


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("mastery", [None, 80])
def test_manifests_validate_against_the_official_schemas(version, mastery):
    assert validate(build_manifest(make_plan(version, mastery)), version) == []


def test_scorm12_manifest():
    data = build_manifest(make_plan("1.2"))
    root = parse(data)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS12) == "1.2"
    assert root.findtext("cp:metadata/cp:schema", namespaces=NS12) == "ADL SCORM"
    assert b'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"' in data
    assert b'adlcp:scormtype="sco"' in data and b"scormType" not in data
    assert root.findtext(".//imsmd:language", namespaces=NS12) == "pl"
    assert root.findtext("cp:organizations/cp:organization/cp:title", namespaces=NS12) == (
        "Poszukiwania międzynarodowe"
    )
    titles = root.xpath("//cp:item/cp:title/text()", namespaces=NS12)
    assert titles[0] == "Moduł 1 – „cudzysłów” & <znaki>"
    assert b"masteryscore" not in data


def test_scorm2004_manifest():
    data = build_manifest(make_plan("2004"))
    root = parse(data)
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS2004) == "2004 4th Edition"
    for prefix in ("adlcp", "imsss", "adlseq", "adlnav"):
        assert root.nsmap[prefix] == NS2004[prefix]
    assert b'adlcp:scormType="sco"' in data and b"scormtype" not in data
    assert b"<imsss:sequencing>" in data
    control = root.find(".//cp:organization/imsss:sequencing/imsss:controlMode", NS2004)
    assert control.get("choice") == "true" and control.get("flow") == "true"
    primaries = root.findall(".//cp:item//imsss:primaryObjective", NS2004)
    assert len(primaries) == 2
    assert all(primary.get("satisfiedByMeasure") is None for primary in primaries)
    assert b"minNormalizedMeasure" not in data


def test_mastery_score_only_when_asked():
    root = parse(build_manifest(make_plan("1.2", 75)))
    assert root.xpath("//adlcp:masteryscore/text()", namespaces=NS12) == ["75", "75"]
    root = parse(build_manifest(make_plan("2004", 75)))
    primary = root.find(".//imsss:primaryObjective", NS2004)
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext("imsss:minNormalizedMeasure", namespaces=NS2004) == "0.75"


@pytest.mark.parametrize(("version", "ns"), [("1.2", NS12), ("2004", NS2004)])
def test_every_file_listed_and_every_reference_resolves(version, ns):
    plan = make_plan(version)
    root = parse(build_manifest(plan))
    listed = set(root.xpath("//cp:file/@href", namespaces=ns))
    assert listed == {file.path for file in plan.files}
    resources = set(root.xpath("//cp:resource/@identifier", namespaces=ns))
    refs = root.xpath("//cp:item/@identifierref | //cp:dependency/@identifierref", namespaces=ns)
    assert refs and set(refs) <= resources
    default = root.find("cp:organizations", ns).get("default")
    assert root.xpath(f"//cp:organization[@identifier='{default}']", namespaces=ns)
    hrefs = root.xpath("//cp:resource/@href", namespaces=ns)
    assert hrefs == ["module-1/index.html", "module-2/index.html"]
