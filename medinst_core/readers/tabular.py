r"""Tabular and JSON readers (``json``, ``jsonl``, ``csv``, ``tsv``) with a declarative field mapping.

These readers turn rows or JSON objects into ``qa``, ``te``, ``pairs``,
``text`` or ``t2t`` records (``record`` option) by a mapping declared in the
manifest (``fields``), so that most question-answering, entailment,
classification, similarity and summarisation datasets need no Python.

Where items come from
---------------------
``jsonl``  every non-blank line is one item (streamed).
``csv``    every row is one item (streamed, Python ``csv`` dialect); with
           ``header`` (default) the item is an object keyed by the header
           names (or by ``columns``, which renames them), otherwise a list
           (paths ``"0"``, ``"1"``...) unless ``columns`` names them.
           ``delimiter`` overrides ``,``; ``quoting: "none"`` reads quote
           characters literally.
``tsv``    as ``csv`` with a tab delimiter and ``quoting: "none"`` by default.
``json``   the file is parsed whole (orjson; JSON has no streaming form, so
           memory use is about the size of the file).  ``items`` is the path of
           the collection of items (default: the document itself).  A list
           gives its elements; an object gives its values, each with its key
           as ``$key`` (PubMedQA's ``ori_pqal.json`` keyed by PMID).

Paths
-----
A path walks into the current item: ``body``, ``snippets.0.text``,
``options.A``.  Segments are object keys, or list indices (``0``, ``-1``);
``*`` takes every element of a list or every value of an object (giving a
list, nulls dropped); ``{path}`` is a key computed from another path
(``evidence.{$doc_id}.0.label``).  Paths starting with ``$`` name values
other than the item:

``$key``          the item's key when the items are an object's values
``$index``        the 0-based position of the item in its file
``$line``         the line number of the item (``jsonl``, ``csv``, ``tsv``)
``$root``         the whole document (``json``)
``$<name>``       an exploded element or a joined item (see below), with
                  ``$<name>_key`` (its key, or list index) and
                  ``$<name>_index`` (its position)

e.g. ``$s.text`` is the ``text`` of the exploded element named ``s``.  A
path that does not resolve (missing key, index out of range, null) is
*missing*.

Field specs
-----------
``fields`` maps record fields to specs.  A spec is a path string, or an
object with one source -- ``path``, ``paths`` (several paths, concatenated
into one list), ``const`` (a literal value) or ``template`` (a string with
``{path}`` placeholders, ``{{``/``}}`` for braces) -- and optional transforms,
applied in this order:

``keys`` / ``values``  an object -> the list of its keys / values
``pick``               a list -> the elements at the indices found at path ``pick``
``flatten``            a list of lists -> one list
``split``              a string -> a list (``maxsplit`` limits the splits)
``index``              a list -> one element (an int, or a path giving one)
``regex``              keep the first group (or the whole match) of a search;
                       no match is missing (``regex_flags``: ``i``, ``m``, ``s``)
``strip``, ``lower``   string clean-up
``map``                replace values by a table; an unmapped value is an
                       error unless ``map_missing`` is ``"keep"`` or ``"drop"``
``type``               ``"str"``, ``"int"``, ``"float"`` or ``"bool"``
``reduce``             a list -> ``mean``, ``sum``, ``min``, ``max``,
                       ``first`` or ``count``
``join``               a list -> a string joined by this separator
``list``               a single value -> a one-element list (missing -> ``[]``)
``default``            the value when the result is missing

``regex``, ``strip``, ``lower``, ``map`` and ``type`` apply to each element
of a list.  A missing value stays missing through every transform.

Record fields (a missing required field is an error naming the file, the
line or item, and the field):

``qa``     ``question``, ``type`` (required); ``context``, ``question_id``,
           ``document_id``, ``choices``, ``choice_labels``, ``answers``,
           ``answer_synonyms`` (a list of lists)
``te``     ``premise``, ``hypothesis``, ``label`` (required)
``pairs``  ``text_1``, ``text_2`` (required); ``label``, ``score`` (a number),
           ``document_id``
``text``   ``text`` (required); ``labels``, ``document_id``
``t2t``    ``text_1``, ``text_2`` (required); ``text_1_lang``,
           ``text_2_lang``, ``text_1_name``, ``text_2_name``, ``document_id``

every kind: ``id``.  By default the id is ``$key`` (object items) or
``$index``, followed by ``_<n>`` for the element position of each explode
level.  Ids must be unique in a split (``unique_ids``, default on, remembers
every id; switch it off for very large files whose ids are known unique).
String fields accept numbers (converted) but not lists (use ``join``); list
fields accept a single value.

Explode, join, where (applied in this order to each item)
---------------------------------------------------------
``explode``  one record per element of a list (or entry of an object): a path,
             ``{"path": ..., "as": name}`` (default name ``item``), or a
             list of levels for nested lists (a later level may explode
             ``$<earlier name>``).  An item whose list is missing or empty
             gives no record.
``join``     ``{"role": "corpus", "key": "doc_id", "on": "$doc_id", "as":
             "doc", "how": "required"}`` (or a list of joins): the file(s) of
             the role (format from ``format`` or the file suffix; JSON files
             may give ``items``) are loaded once into a table keyed by the
             path ``key`` of each of their items (an object document without
             ``key``: by its keys); the value at path ``on`` (compared as a
             string) selects the joined item, bound to ``$<as>`` (default: the
             role name).  ``how``: ``required`` (no match is an error),
             ``inner`` (no match: no record), ``left`` (no match: null),
             ``anti`` (keep only items with no match).
``where``    conditions every record must meet: ``{"type": "yesno"}``
             (path -> value), or a list of ``{"path": p, "equals": v}``,
             ``{"path": p, "in": [...]}``, ``{"path": p, "not_in": [...]}``,
             ``{"path": p, "exists": bool}``, ``{"path": p, "nonempty": bool}``.

Examples
--------
PubMedQA, ``json`` reader, role ``data`` = ``ori_pqal.json``, role ``test`` =
``test_ground_truth.json`` (``"how": "anti"`` gives the other 500)::

    {"record": "qa",
     "join": {"role": "test", "on": "$key", "how": "inner"},
     "fields": {"question": "QUESTION", "context": {"path": "CONTEXTS", "join": " "},
                "type": {"const": "yesno"}, "choices": {"const": ["yes", "no", "maybe"]},
                "answers": {"path": "final_decision", "list": true}, "document_id": "$key"}}

BioASQ yes/no, one record per snippet, ``json``::

    {"record": "qa", "items": "questions", "where": {"type": "yesno"},
     "explode": {"path": "snippets", "as": "s"},
     "fields": {"id": {"template": "{id}_{$s_index}"}, "question_id": "id",
                "question": "body", "context": "$s.text", "type": {"const": "yesno"},
                "choices": {"const": ["yes", "no"]},
                "answers": {"path": "exact_answer", "regex": "^(yes|no)", "regex_flags": "i",
                            "lower": true, "list": true}}}

MedQA, ``jsonl``::

    {"record": "qa",
     "fields": {"question": "question", "type": {"const": "multiple_choice"},
                "choices": {"path": "options", "values": true},
                "choice_labels": {"path": "options", "keys": true},
                "answers": {"path": "answer", "list": true}}}

SciFact, ``jsonl``, role ``data`` = ``claims_train.jsonl``, role ``corpus`` =
``corpus.jsonl``; one pair per cited document::

    {"record": "te",
     "explode": {"path": "cited_doc_ids", "as": "doc_id"},
     "join": {"role": "corpus", "key": "doc_id", "on": "$doc_id", "as": "doc"},
     "fields": {"id": {"template": "{id}_{$doc_id}"}, "hypothesis": "claim",
                "premise": {"path": "$doc.abstract", "join": " "},
                "label": {"path": "evidence.{$doc_id}.0.label", "default": "NOINFO"}}}

CoVERt, ``jsonl``, tweets with evidence only::

    {"record": "te", "where": [{"path": "evidence.*.2", "nonempty": true}],
     "fields": {"premise": {"path": "evidence.*.2", "join": " "},
                "hypothesis": "claim", "label": "label"}}

MedDialog, ``json``, one record per utterance labelled with its speaker::

    {"record": "text", "explode": {"path": "utterances", "as": "u"},
     "fields": {"document_id": "$index",
                "text": {"path": "$u", "regex": "^[^:]*:\\s*(.*)$", "regex_flags": "s"},
                "labels": {"path": "$u", "split": ":", "maxsplit": 1, "index": 0,
                           "strip": true, "list": true}}}

MeDAL, ``csv`` (streamed; ``LOCATION`` is a word index into ``TEXT``)::

    {"record": "qa", "unique_ids": false,
     "fields": {"document_id": "ABSTRACT_ID", "context": "TEXT",
                "question": {"path": "TEXT", "split": " ", "index": "LOCATION"},
                "type": {"const": "factoid"}, "answers": {"path": "LABEL", "list": true}}}

Multi-XScience, ``json``::

    {"record": "t2t",
     "fields": {"document_id": "aid",
                "text_1": {"paths": ["abstract", "ref_abstract.*.abstract"], "join": "\n"},
                "text_2": "related_work"}}

BIOSSES, ``tsv`` (``annotation_pairs_scores.tsv``)::

    {"record": "pairs",
     "fields": {"id": "sentence_id", "text_1": "sentence_1", "text_2": "sentence_2",
                "score": {"paths": ["annotator_a", "annotator_b", "annotator_c",
                                    "annotator_d", "annotator_e"],
                          "type": "float", "reduce": "mean"}}}
"""
