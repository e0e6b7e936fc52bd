"""The 活用事例集: cases of routine municipal work with a ready prompt, as data a municipality can exchange.

One TOML file per case, checked against ``schema.json`` (published, versioned) and against the kit's sending
rule (a case may name only the backends the default policy lets receive its 機密性 and personal data).
``load_catalogue`` reads a folder, ``export_xlsx``/``export_docx`` write it for people, ``merge`` takes in
another municipality's cases by ID without overwriting any.
"""

from kenshu.cases.catalogue import Case, Catalogue, load_case, load_catalogue, shipped_folder
from kenshu.cases.export import export_docx, export_xlsx
from kenshu.cases.merge import MergeReport, merge

__all__ = ["Case", "Catalogue", "MergeReport", "export_docx", "export_xlsx", "load_case", "load_catalogue", "merge",
           "shipped_folder"]
