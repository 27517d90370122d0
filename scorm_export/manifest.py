"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th Edition, built with lxml.

What LMSs check (see docs/scorm-package.md and the issue): `schemaversion` exactly "1.2" /
"2004 4th Edition"; the namespace prefixes `adlcp:`, `imsss:`, `adlseq:`, `adlnav:`;
`adlcp:scormtype="sco"` (1.2) / `adlcp:scormType="sco"` (2004) on every launchable
resource; every file of the package in a `<file>` element; no mastery score unless asked.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from .plan import PackagePlan, ScoPlan

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

SCORM12 = {
    None: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
    "xsi": XSI,
}
SCORM12_LOCATIONS = (
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"
)
SCORM2004 = {
    None: "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "xsi": XSI,
}
SCORM2004_LOCATIONS = (
    "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd "
    "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "
    "http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd "
    "http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd "
    "http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"
)
LOM = "http://ltsc.ieee.org/xsd/LOM"

ORGANIZATION_ID = "ORG"
RUNTIME_RESOURCE_ID = "RUNTIME"


def resource_id(sco: ScoPlan) -> str:
    return f"RES-{sco.identifier}"


def objective_id(sco: ScoPlan) -> str:
    return f"OBJ-{sco.identifier}"


def build_manifest(plan: PackagePlan) -> bytes:
    """The manifest of a plan, as UTF-8 bytes with an XML declaration."""
    root = _scorm12(plan) if plan.options.version == "1.2" else _scorm2004(plan)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _el(parent: etree._Element, tag: str, text: str | None = None, **attributes: str):
    element = etree.SubElement(parent, tag, {k: v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _q(namespaces: dict, prefix: str | None, name: str) -> str:
    return f"{{{namespaces[prefix]}}}{name}"


# --- SCORM 1.2 -------------------------------------------------------------------------------


def _scorm12(plan: PackagePlan) -> etree._Element:
    ns = SCORM12

    def cp(name: str) -> str:
        return _q(ns, None, name)

    root = etree.Element(cp("manifest"), nsmap=ns)
    root.set("identifier", plan.identifier)
    root.set("version", "1.0")
    root.set(f"{{{XSI}}}schemaLocation", SCORM12_LOCATIONS)

    metadata = _el(root, cp("metadata"))
    _el(metadata, cp("schema"), "ADL SCORM")
    _el(metadata, cp("schemaversion"), "1.2")
    lom = _el(metadata, _q(ns, "imsmd", "lom"))
    general = _el(lom, _q(ns, "imsmd", "general"))
    title = _el(general, _q(ns, "imsmd", "title"))
    langstring = _el(title, _q(ns, "imsmd", "langstring"), plan.title)
    langstring.set(f"{{{XML_NS}}}lang", plan.language)
    _el(general, _q(ns, "imsmd", "language"), plan.language)

    organizations = _el(root, cp("organizations"), default=ORGANIZATION_ID)
    organization = _el(organizations, cp("organization"), identifier=ORGANIZATION_ID)
    _el(organization, cp("title"), plan.title)
    for sco in plan.scos:
        item = _el(
            organization,
            cp("item"),
            identifier=sco.identifier,
            identifierref=resource_id(sco),
            isvisible="true",
        )
        _el(item, cp("title"), sco.title)
        if plan.options.mastery_score is not None:
            _el(item, _q(ns, "adlcp", "masteryscore"), str(plan.options.mastery_score))

    _resources(root, plan, cp, scormtype=_q(ns, "adlcp", "scormtype"))
    return root


# --- SCORM 2004 4th Edition ------------------------------------------------------------------


def _scorm2004(plan: PackagePlan) -> etree._Element:
    ns = SCORM2004

    def cp(name: str) -> str:
        return _q(ns, None, name)

    def ss(name: str) -> str:
        return _q(ns, "imsss", name)

    root = etree.Element(cp("manifest"), nsmap=ns)
    root.set("identifier", plan.identifier)
    root.set("version", "1")
    root.set(f"{{{XSI}}}schemaLocation", SCORM2004_LOCATIONS)

    metadata = _el(root, cp("metadata"))
    _el(metadata, cp("schema"), "ADL SCORM")
    _el(metadata, cp("schemaversion"), "2004 4th Edition")
    lom = etree.SubElement(metadata, f"{{{LOM}}}lom", nsmap={None: LOM})
    general = _el(lom, f"{{{LOM}}}general")
    title = _el(general, f"{{{LOM}}}title")
    _el(title, f"{{{LOM}}}string", plan.title, language=plan.language)
    _el(general, f"{{{LOM}}}language", plan.language)

    organizations = _el(root, cp("organizations"), default=ORGANIZATION_ID)
    organization = _el(organizations, cp("organization"), identifier=ORGANIZATION_ID)
    organization.set(_q(ns, "adlseq", "objectivesGlobalToSystem"), "false")
    _el(organization, cp("title"), plan.title)
    for sco in plan.scos:
        item = _el(
            organization,
            cp("item"),
            identifier=sco.identifier,
            identifierref=resource_id(sco),
            isvisible="true",
        )
        _el(item, cp("title"), sco.title)
        sequencing = _el(item, ss("sequencing"))
        objectives = _el(sequencing, ss("objectives"))
        primary = _el(objectives, ss("primaryObjective"), objectiveID=objective_id(sco))
        if plan.options.mastery_score is not None:
            primary.set("satisfiedByMeasure", "true")
            measure = Decimal(plan.options.mastery_score) / 100
            _el(primary, ss("minNormalizedMeasure"), f"{measure:.2f}")
        _el(
            sequencing,
            ss("deliveryControls"),
            tracked="true",
            completionSetByContent="true",
            objectiveSetByContent="true",
        )
    # The course: free choice and flow between SCOs, status and score rolled up from them.
    sequencing = _el(organization, ss("sequencing"))
    _el(sequencing, ss("controlMode"), choice="true", flow="true")
    _el(
        sequencing,
        ss("rollupRules"),
        rollupObjectiveSatisfied="true",
        rollupProgressCompletion="true",
        objectiveMeasureWeight="1",
    )

    _resources(root, plan, cp, scormtype=_q(ns, "adlcp", "scormType"))
    return root


def _resources(root: etree._Element, plan: PackagePlan, cp, *, scormtype: str) -> None:
    """One resource per SCO (its page and media, depending on the runtime) and the
    runtime as a shared asset; `scormtype` is the version's attribute name (1.2 spells
    it in lower case, 2004 in camel case)."""
    resources = _el(root, cp("resources"))
    for sco in plan.scos:
        resource = _el(resources, cp("resource"), identifier=resource_id(sco), type="webcontent")
        resource.set(scormtype, "sco")
        resource.set("href", sco.href)
        _files(resource, cp, sco.files)
        _el(resource, cp("dependency"), identifierref=RUNTIME_RESOURCE_ID)
    runtime = _el(resources, cp("resource"), identifier=RUNTIME_RESOURCE_ID, type="webcontent")
    runtime.set(scormtype, "asset")
    _files(runtime, cp, plan.shared)


def _files(resource: etree._Element, cp, paths) -> None:
    for path in paths:
        _el(resource, cp("file"), href=path)
