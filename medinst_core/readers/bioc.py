"""BioC readers: XML (``bioc_xml``) and JSON (``bioc_json``).

Format
------
``collection`` -> ``document`` (``id``, ``passage``\\*, ``relation``\\*) ->
``passage`` (``infon``\\*, ``offset``, ``text``, ``annotation``\\*,
``relation``\\*) -> ``annotation`` (``id``, ``infon``\\*, ``location``\\+
with document-absolute ``offset``/``length``, ``text``); ``relation`` (``id``,
``infon``\\*, ``node``\\* with ``refid``/``role``).  Sentence-level passages
(``sentence`` elements with their own offset and text instead of a passage
text) are accepted: the passage text is rebuilt from the sentences.  The JSON
form has the same structure (``documents``, ``passages``, ``annotations``,
``locations``, ``relations``, ``nodes``, ``infons`` objects).

XML safety: a file whose DOCTYPE declares entities (``<!ENTITY``, the
mechanism of external-entity and entity-expansion attacks) is refused with a
:class:`~medinst_core.errors.SourceError` before parsing; external DTDs
(``<!DOCTYPE collection SYSTEM "BioC.dtd">``) are never fetched.  The XML
file is streamed (``iterparse``, each document cleared once read), so memory
use is one document.  The JSON file is parsed whole (orjson): BioC JSON has no
streaming form, so memory use is about the size of the file.

Records
-------
One :class:`~medinst_core.records.KBRecord` per document; ``id`` and
``document_id`` are the BioC document id.

* ``passages``: ids ``P0``, ``P1``...; type from the ``passage_type_infon``
  infon (default ``type``), else ``passage_types[i]`` (for files like the
  BioRED BioC JSON whose passages carry no infons), else ``passage``.
* ``entities``: one per annotation; id the annotation id (``entity_ids:
  "native"``, default) or ``"0"``, ``"1"``... in document order
  (``"position"``, the PubTator reader's numbering); type from
  ``type_infon``; identifiers from the first of ``id_infons`` present, split
  as in the PubTator reader (same ``db_name``, ``db_names``, ``id_separators``,
  ``type_id_separators``, ``null_ids``, ``split_id_prefix`` options); one
  offset pair per location, the text of each fragment taken from the passage
  text and checked against the annotation text (fragments joined by a space).
  Other infons become attributes (``infon_attributes``).
  ``individual_mentions`` decides what happens to annotations with
  ``CompositeRole=IndividualMention`` (BC5CDR): ``keep`` them as entities,
  ``drop`` them, or ``fold`` them: drop them and add their texts, joined by
  ``|``, as an ``IndividualMentions`` attribute of the composite mention that
  covers them -- which is what the PubTator file of the same corpus says.
* relations with two ``node`` children (mention level) go to ``relations``
  (node refids mapped to entity ids; node roles other than ``Arg1``/``Arg2``
  kept as ``arg1_role``/``arg2_role`` attributes); relations whose infons name
  two concepts (the first pair of ``relation_arg_infons`` present, default
  ``entity1``/``entity2`` as in BioRED, then ``Chemical``/``Disease`` as in
  BC5CDR) go to ``concept_relations``.  The type is the first of
  ``relation_type_infons`` present (``type``, ``relation``); other infons are
  attributes (BioRED ``novel``).  ``expand_relations`` expands concept
  relations to mention pairs exactly as the PubTator reader does.

With the same options, a PubTator file and the BioC file of the same corpus
give equal records (apart from ``source``); BC5CDR needs
``individual_mentions: "fold"`` and ``entity_ids: "position"`` for that.

Options
-------
``db_name``, ``db_names``, ``id_separators``, ``type_id_separators``,
``null_ids``, ``split_id_prefix``, ``expand_relations``, ``offset_check``,
``duplicate_ids``
    as for the PubTator reader.
``id_infons`` (list of str, ``["identifier", "Identifier", "MESH"]``)
``type_infon`` (str, ``"type"``)
``passage_type_infon`` (str, ``"type"``)
``passage_types`` (list of str, ``[]``)
``entity_ids`` (``"native"`` | ``"position"``, ``"native"``)
``individual_mentions`` (``"keep"`` | ``"drop"`` | ``"fold"``, ``"keep"``)
``skip_annotations`` (object: infon -> value or list of values)
    annotations with any of these infon values are ignored.
``relation_type_infons`` (list of str, ``["type", "relation"]``)
``relation_arg_infons`` (list of [str, str], ``[["entity1", "entity2"], ["Chemical", "Disease"]]``)
``infon_attributes`` (bool, ``true``)
"""
