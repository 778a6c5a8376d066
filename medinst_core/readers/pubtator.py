"""PubTator reader (``pubtator``): title/abstract blocks with mention and relation lines.

Format
------
One block per document, blocks separated by one or more blank lines (a block
may also start right after the previous one, and the last block need not end
with a newline; CRLF line endings are accepted)::

    6794356|t|Tricuspid valve regurgitation and lithium carbonate toxicity ...
    6794356|a|A newborn with massive tricuspid regurgitation, ...
    6794356<TAB>0<TAB>29<TAB>Tricuspid valve regurgitation<TAB>Disease<TAB>D014262
    3115150<TAB>1584<TAB>1626<TAB>cardiovascular, and respiratory depression<TAB>Disease<TAB>D002318|D012131<TAB>cardiovascular depression|respiratory depression
    6794356<TAB>CID<TAB>D016651<TAB>D003490
    14510914<TAB>Positive_Correlation<TAB>c|DEL|1314_1328|<TAB>D003409<TAB>Novel

Records
-------
One :class:`~medinst_core.records.KBRecord` per block; ``id`` and
``document_id`` are the PMID.

* ``passages``: ``P0`` typed ``title`` at ``(0, len(title))`` and, when the
  block has an ``|a|`` line, ``P1`` typed ``abstract`` at
  ``(len(title) + 1, len(title) + 1 + len(abstract))``.  Offsets are
  document-absolute over ``title + " " + abstract``.
* ``entities``: one per mention line, ids ``"0"``, ``"1"``... in file order
  (the numbering of PubTator-generated BioC files).  The identifier column is
  split into ``normalized`` entries (see *Identifiers*).  Columns after the
  identifier are kept as attributes named by ``extra_columns``; a mention with
  an ``IndividualMentions`` column (the BC5CDR composite mentions) also gets
  ``("CompositeRole", "CompositeMention")``.
* ``concept_relations``: one per relation line (a line whose third column is
  not a number), ids ``R0``, ``R1``...; ``type`` is the second column
  (``CID``, ``Association``...), ``arg1_id``/``arg2_id`` the two concept ids
  exactly as written; later columns become attributes named by
  ``relation_columns`` (BioRED's ``Novel``/``No`` -> ``("novel", "Novel")``).
* ``relations`` (only with ``expand_relations``): every pair of distinct
  mentions whose identifiers include the two concept ids, ids
  ``<relation id>.<n>``, same type and attributes.

Identifiers
-----------
An identifier column is split on ``id_separators`` (default ``| , ; +``; per
entity type with ``type_id_separators``), except that tmVar-style variant ids
(``p|SUB|V|600|E``, ``c|DEL|1314_1328|``) are never split on ``|``.  Values
in ``null_ids`` (default ``-1``, ``-`` and empty) give no normalization.  With
``split_id_prefix`` (default on) a ``PREFIX:`` becomes the ``db_name``
(``OMIM:612446`` -> ``OMIM``/``612446``, ``RS#:113488022`` ->
``RS#``/``113488022``); otherwise the ``db_name`` is ``db_names[type]`` or
``db_name``.

Options
-------
``db_name`` (str, ``""``)
    db_name of identifiers without a prefix, e.g. ``"MESH"``.
``db_names`` (object)
    db_name per entity type, e.g. ``{"GeneOrGeneProduct": "NCBIGene"}``.
``id_separators`` (list of str, ``["|", ",", ";", "+"]``)
``type_id_separators`` (object: type -> list of str)
``null_ids`` (list of str, ``["-1", "-", ""]``)
``split_id_prefix`` (bool, ``true``)
``relation_columns`` (list of str, ``["novel"]``)
    attribute names of relation-line columns after the two ids; surplus
    columns are named ``column_<n>`` (1-based column number).
``extra_columns`` (list of str, ``["IndividualMentions"]``)
    attribute names of mention-line columns after the identifier column.
``expand_relations`` (bool, ``false``)
``offset_check`` (``"error"`` | ``"warn"``, ``"error"``)
    every mention text must equal ``title + " " + abstract`` at its offsets;
    ``"warn"`` counts a ``offset_mismatch`` warning and keeps the mention as
    annotated.
``duplicate_ids`` (``"error"`` | ``"skip"`` | ``"suffix"``, ``"error"``)
    a PMID seen twice in one split.

The file is read line by line; memory use is one document.
"""
